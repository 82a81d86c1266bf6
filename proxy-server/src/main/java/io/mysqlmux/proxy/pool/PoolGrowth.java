package io.mysqlmux.proxy.pool;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendConnector;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.config.UserConfig;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.pool.PooledConnection.State;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opening a pool's connections: as many as the waiting commands need beyond those already coming
 * (being opened or checked), within max_size, max_connecting, the global cap across pools and the
 * backoff after a refusal; or up to min_idle for maintenance. Planning takes CONNECTING places under
 * the pool's lock; the connects themselves start after it.
 */
final class PoolGrowth {
    private final BackendPool pool;
    private final Pools pools;
    private final UserConfig user;
    private final EventLoopGroup group;
    private final GrowthBackoff backoff;

    PoolGrowth(BackendPool pool, Pools pools, UserConfig user, EventLoopGroup group) {
        this.pool = pool;
        this.pools = pools;
        this.user = user;
        this.group = group;
        this.backoff = new GrowthBackoff(pool.key());
    }

    GrowthBackoff backoff() {
        return backoff;
    }

    /** Under the pool's lock: places for the connections the queue needs now; {@code near} is the loop to open them on. */
    List<PooledConnection> plan(EventExecutor near) {
        int coming = pool.records().count(State.CONNECTING) + pool.records().count(State.CHECKING);
        return take(pool.queue().size() - coming, near);
    }

    /** Under the pool's lock: places for the connections that bring the idle ones up to min_idle. */
    List<PooledConnection> planMinIdle() {
        int minIdle = pool.settings().intValue(Setting.POOL_MIN_IDLE);
        int waiting = pool.queue().size();
        return take(minIdle + waiting - pool.records().count(State.IDLE) - pool.records().count(State.CONNECTING)
                - pool.records().count(State.CHECKING), null);
    }

    private List<PooledConnection> take(int wanted, EventExecutor near) {
        if (wanted <= 0 || !backoff.allowsGrowth()) {
            return List.of();
        }
        int room = Math.min(pool.settings().intValue(Setting.POOL_MAX_SIZE) - pool.records().size(),
                pool.settings().intValue(Setting.POOL_MAX_CONNECTING) - pool.records().count(State.CONNECTING));
        int count = Math.min(wanted, room);
        if (count <= 0) {
            return List.of();
        }
        List<PooledConnection> places = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EventLoop loop = i == 0 && near instanceof EventLoop own && own.parent() == group ? own : group.next();
            PooledConnection pooled = new PooledConnection(loop);
            pool.records().add(pooled);
            places.add(pooled);
        }
        return places;
    }

    /** Starts the connects planned (outside the lock). A place the global cap refuses is given up. */
    void open(List<PooledConnection> places) {
        for (PooledConnection pooled : places) {
            if (!pools.reserveConnection(pool)) {
                synchronized (pool.lock()) {
                    pool.records().forget(pooled);
                }
                continue;
            }
            long startedNanos = System.nanoTime();
            pools.connector().open(pooled.home(), user, pool.key().shape(), new BackendConnector.Callback() {
                @Override
                public void connected(BackendConnection connection) {
                    backoff.succeeded(startedNanos);
                    pools.health().connected();
                    pool.connected(pooled, connection);
                }

                @Override
                public void failed(String reason, ErrPacket serverError) {
                    connectFailed(pooled, reason, serverError);
                }
            });
        }
    }

    /** Plans and opens what the queue needs now (after a backoff, or when the global cap freed a slot). */
    void growNow() {
        List<PooledConnection> places;
        synchronized (pool.lock()) {
            places = plan(null);
        }
        open(places);
    }

    /** Opens one connection whatever the queue (so that readiness learns whether the server is back). */
    void openOne() {
        List<PooledConnection> places;
        synchronized (pool.lock()) {
            places = take(1, null);
        }
        open(places);
    }

    /** A connection of this pool closed: its slot under the global cap is free. */
    void released() {
        pools.releaseConnection();
    }

    /**
     * The server did not give a connection. While the pool has connections (or the server said
     * "too many connections", which passes), waiters keep their place and the pool tries again after
     * a backoff; with none and no reason to expect one, they learn at once.
     */
    private void connectFailed(PooledConnection pooled, String reason, ErrPacket serverError) {
        pools.releaseConnection();
        boolean full = tooManyConnections(serverError);
        if (!full) {
            // A full server is still a reachable one: readiness stays, the queue is served.
            pools.health().connectFailed(serverError != null ? serverError.toString() : reason);
        }
        List<Waiter> failing = List.of();
        long retryMillis;
        synchronized (pool.lock()) {
            pool.records().forget(pooled);
            int open = pool.records().size() - pool.records().count(State.CONNECTING);
            retryMillis = backoff.failed(reason, serverError, open);
            if (pool.records().size() == 0 && !full) {
                failing = pool.queue().drain();
            }
        }
        if (failing.isEmpty()) {
            pooled.home().schedule(this::growNow, retryMillis, TimeUnit.MILLISECONDS);
            return;
        }
        ErrPacket error = serverError != null
                ? ProxyError.BACKEND_LOGIN_FAILED.packet(pool.key().address(), pool.key().user(), serverError.message())
                : ProxyError.BACKEND_UNREACHABLE.packet(pool.key().address(), reason);
        for (Waiter waiter : failing) {
            waiter.cancelTimeout();
            LeaseRequester requester = waiter.requester();
            requester.executor().execute(() -> requester.onLeaseFailed(error));
        }
    }

    /** The server's "too many connections" answers: global, per-user and per-account limits. */
    private static boolean tooManyConnections(ErrPacket serverError) {
        return serverError != null && (serverError.code() == ErrorCode.ER_CON_COUNT_ERROR.code()
                || serverError.code() == ErrorCode.ER_TOO_MANY_USER_CONNECTIONS.code()
                || serverError.code() == ErrorCode.ER_USER_LIMIT_REACHED.code());
    }
}
