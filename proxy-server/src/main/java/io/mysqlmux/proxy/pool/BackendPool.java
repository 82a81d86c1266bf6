package io.mysqlmux.proxy.pool;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.ServerStatements;
import io.mysqlmux.proxy.backend.SessionState;
import io.mysqlmux.proxy.backend.StatementMetadataCache;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.config.Settings;
import io.mysqlmux.proxy.config.UserConfig;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.pool.PooledConnection.State;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server connections of one {@link PoolKey}, lent to client sessions one transaction at a time.
 *
 * <p>Every connection is a {@link PooledConnection} in exactly one state, changed only by
 * {@link ConnectionRecords#moveTo} under one lock; the counts that SHOW POOLS and the metrics read
 * are the number of records in each state, so they cannot drift from what the pool holds.
 * Decisions are taken under the lock; callbacks to sessions run after it, on their own loop.
 *
 * <p>Fairness: a command waits only when no connection is idle, and then in one FIFO queue across
 * all event loops. A connection that comes back goes to the oldest waiter (or one on its own loop
 * that came at most {@code pool.affinity_slack} after it), never to a shelf, so a client that
 * releases and asks again at once queues behind everyone who was waiting, and no idle connection
 * ever sits on a shelf while a command waits.
 */
public final class BackendPool {
    /** How many waiters a returning connection looks through for one on its own loop. */
    private static final int AFFINITY_SCAN = 8;

    private final PoolKey key;
    private final Pools pools;
    private final Settings settings;
    private final ConnectionLifetime lifetime;
    private final PoolStatistics statistics = new PoolStatistics();
    private final StatementMetadataCache metadata = new StatementMetadataCache();
    private final int statementsPerConnection;
    private final PoolGrowth growth;
    private final ConnectionChecks checks;

    private final Object lock = new Object();
    // Under lock:
    private final ConnectionRecords records;
    private final WaitQueue queue = new WaitQueue();
    private long opened;
    private long closed;

    BackendPool(PoolKey key, UserConfig user, Pools pools, Settings settings, ConnectionLifetime lifetime,
                EventLoopGroup group, int statementsPerConnection) {
        this.key = key;
        this.pools = pools;
        this.settings = settings;
        this.lifetime = lifetime;
        this.statementsPerConnection = statementsPerConnection;
        this.records = new ConnectionRecords(group);
        this.growth = new PoolGrowth(this, pools, user, group);
        this.checks = new ConnectionChecks(this);
    }

    public PoolKey key() {
        return key;
    }

    // ---- lending ----

    /**
     * Asks for a connection for the waiter's requester, on the requester's executor. Returns the lease
     * at once when a connection is idle and nobody waits; otherwise returns null and the answer comes
     * later through the requester's callbacks.
     */
    public Lease acquire(Waiter waiter) {
        LeaseRequester requester = waiter.requester();
        EventExecutor loop = requester.executor();
        BackendConnection preferred = requester.preferred();
        SessionState wanted = requester.wantedState();
        int wantedHash = wanted == null ? 0 : wanted.hashCode();
        long now = System.nanoTime();
        List<PooledConnection> stale = null;
        Lease lease = null;
        ErrPacket refusal = null;
        List<PooledConnection> toOpen = List.of();
        synchronized (lock) {
            if (queue.isEmpty()) {
                PooledConnection idle;
                while (lease == null && (idle = records.takeIdle(loop, preferred, wantedHash)) != null) {
                    if (needsValidation(idle, now)) {
                        records.moveTo(idle, State.CHECKING);
                        (stale == null ? stale = new ArrayList<>(2) : stale).add(idle);
                    } else {
                        lease = lend(idle, requester);
                    }
                }
            }
            if (lease == null) {
                int queueMax = settings.intValue(Setting.POOL_QUEUE_MAX);
                if (queue.size() >= queueMax) {
                    refusal = ProxyError.QUEUE_FULL.packet(queue.size(), key);
                } else {
                    enqueue(waiter);
                    toOpen = growth.plan(loop);
                }
            }
        }
        if (stale != null) {
            stale.forEach(checks::validate);
        }
        growth.open(toOpen);
        if (lease != null) {
            statistics.waited(0);
        } else if (refusal != null) {
            statistics.queueFull();
            ErrPacket error = refusal;
            loop.execute(() -> requester.onLeaseFailed(error));
        }
        return lease;
    }

    /** The waiter no longer needs a connection (its client left). A hand-off already under way still arrives. */
    public void cancel(Waiter waiter) {
        synchronized (lock) {
            if (!queue.remove(waiter)) {
                return;
            }
        }
        waiter.cancelTimeout();
    }

    private void enqueue(Waiter waiter) {
        queue.add(waiter);
        statistics.enqueued();
        long timeoutMillis = settings.value(Setting.POOL_QUEUE_TIMEOUT);
        long ticket = waiter.enqueued();
        waiter.timeout(waiter.requester().executor().schedule(() -> timedOut(waiter, ticket, timeoutMillis),
                timeoutMillis, TimeUnit.MILLISECONDS));
    }

    private void timedOut(Waiter waiter, long ticket, long timeoutMillis) {
        String described;
        synchronized (lock) {
            if (waiter.ticket() != ticket || !queue.remove(waiter)) {
                return;
            }
            described = describeLocked();
        }
        statistics.timedOut(waiter.waitedNanos());
        HolderCensus.Holders holders = pools.census().of(this);
        ProxyError error = holders.mostlyHeldBetweenStatements() ? ProxyError.QUEUE_TIMEOUT_HELD : ProxyError.QUEUE_TIMEOUT;
        waiter.requester().onLeaseFailed(error.packet(timeoutMillis, key, described, holders));
    }

    /** Under the lock: {@code pooled} becomes the requester's. */
    private Lease lend(PooledConnection pooled, LeaseRequester requester) {
        Lease lease = new Lease(this, pooled, requester.clientId());
        pooled.lease(lease);
        records.moveTo(pooled, State.LEASED);
        return lease;
    }

    /**
     * Under the lock: a good connection is free. It goes to the oldest waiter, or onto its shelf;
     * it retires instead when past its lifetime or the pool is above a lowered max_size. Returns the
     * hand-off to deliver after the lock, or null.
     */
    private Runnable offer(PooledConnection pooled) {
        if (records.liveSize() > settings.intValue(Setting.POOL_MAX_SIZE)
                || lifetime.expired(pooled, System.nanoTime())) {
            records.moveTo(pooled, State.RETIRING);
            return () -> checks.retire(pooled);
        }
        long slack = TimeUnit.MILLISECONDS.toNanos(settings.value(Setting.POOL_AFFINITY_SLACK));
        Waiter oldest = queue.pollFor(pooled.home(), slack, AFFINITY_SCAN);
        if (oldest != null) {
            LeaseRequester requester = oldest.requester();
            Lease lease = lend(pooled, requester);
            long waited = oldest.waitedNanos();
            return () -> {
                oldest.cancelTimeout();
                statistics.waited(waited);
                requester.executor().execute(() -> requester.onLeased(lease));
            };
        }
        pooled.connection().attach(pooled.idleWatcher(checks));
        records.moveTo(pooled, State.IDLE);
        return null;
    }

    private static void run(Runnable action) {
        if (action != null) {
            action.run();
        }
    }

    // ---- giving back ----

    void release(Lease lease, Lease.Cleanup cleanup, Runnable whenClean) {
        PooledConnection pooled = lease.pooled();
        Runnable next = null;
        synchronized (lock) {
            if (pooled.lease() != lease || !records.holds(pooled)) {
                run(whenClean); // already given back, or its channel closed: nothing of the holder's is left
                return;
            }
            pooled.lease(null);
            pooled.connection().detach();
            if (pooled.connection().isClosed()) {
                records.moveTo(pooled, State.RETIRING);
                next = whenClean;
            } else if (pooled.connection().hasClientRole()) { // no reset drops a role on MariaDB
                records.moveTo(pooled, State.RETIRING);
                next = () -> {
                    checks.close(pooled, "it carries a client's SET ROLE");
                    run(whenClean);
                };
            } else if (cleanup != null) {
                records.moveTo(pooled, State.CHECKING);
                next = () -> checks.clean(pooled, cleanup, whenClean);
            } else {
                next = offer(pooled);
            }
        }
        run(next);
    }

    void discard(Lease lease, String why) {
        PooledConnection pooled = lease.pooled();
        synchronized (lock) {
            if (pooled.lease() != lease || !records.holds(pooled)) {
                return;
            }
            pooled.lease(null);
            pooled.connection().detach();
            records.moveTo(pooled, State.RETIRING);
        }
        checks.close(pooled, why);
    }

    /** A check (ping, rollback, reset) passed: the connection is offered like a returning one. */
    void checked(PooledConnection pooled) {
        Runnable next = null;
        synchronized (lock) {
            if (records.holds(pooled) && pooled.state() == State.CHECKING) {
                pooled.connection().detach();
                next = offer(pooled);
            }
        }
        run(next);
    }

    /** A check failed: the connection is closed, and a waiter it was meant for gets another. */
    void checkFailed(PooledConnection pooled, String why) {
        synchronized (lock) {
            if (!records.holds(pooled) || pooled.state() != State.CHECKING) {
                return;
            }
            records.moveTo(pooled, State.RETIRING);
        }
        checks.close(pooled, why);
    }

    // ---- the life of a record ----

    /** The channel of {@code pooled} closed, whatever its state: its slot is free. On its home loop. */
    void gone(PooledConnection pooled) {
        List<PooledConnection> toOpen;
        synchronized (lock) {
            if (!records.holds(pooled)) {
                return;
            }
            records.forget(pooled);
            closed++;
            toOpen = growth.plan(pooled.home());
        }
        if (pooled.connection().statements() != null) {
            pooled.connection().statements().clear();
        }
        growth.released();
        growth.open(toOpen);
    }

    /** A connection attempt succeeded: it joins the pool and serves the oldest waiter. */
    void connected(PooledConnection pooled, BackendConnection connection) {
        Runnable next;
        synchronized (lock) {
            pooled.connected(connection);
            connection.statements(new ServerStatements(statementsPerConnection, statistics));
            connection.defaultsEpoch(pools.globalsEpoch());
            opened++;
            next = offer(pooled);
        }
        connection.channel().closeFuture().addListener(done -> gone(pooled));
        run(next);
    }

    // ---- what growth and maintenance need, under the lock ----

    Object lock() {
        return lock;
    }

    WaitQueue queue() {
        return queue;
    }

    ConnectionRecords records() {
        return records;
    }

    private boolean needsValidation(PooledConnection pooled, long now) {
        long interval = TimeUnit.MILLISECONDS.toNanos(settings.value(Setting.POOL_VALIDATION_INTERVAL));
        return now - pooled.shelvedAtNanos() > interval;
    }

    // ---- views ----

    /** The pool's counts now, all taken at one moment. */
    public PoolCounts counts() {
        synchronized (lock) {
            Waiter oldest = queue.oldest();
            return new PoolCounts(records.size(), settings.intValue(Setting.POOL_MAX_SIZE),
                    records.count(State.CONNECTING), records.count(State.IDLE), records.count(State.LEASED),
                    records.count(State.CHECKING), records.count(State.RETIRING), queue.size(),
                    oldest == null ? 0 : oldest.waitedNanos(), opened, closed);
        }
    }

    /** Every server connection with its state and holder, for SHOW BACKENDS. */
    public List<ConnectionView> connections() {
        synchronized (lock) {
            return records.views();
        }
    }

    /** {@code size 4/4, in use 4, idle 0, waiting 12}: for error messages and logs. */
    public String describe() {
        synchronized (lock) {
            return describeLocked();
        }
    }

    private String describeLocked() {
        return "size " + records.size() + "/" + settings.intValue(Setting.POOL_MAX_SIZE) + ", in use "
                + records.count(State.LEASED) + ", idle " + records.count(State.IDLE) + ", waiting " + queue.size();
    }

    public int maxSize() {
        return settings.intValue(Setting.POOL_MAX_SIZE);
    }

    public PoolStatistics statistics() {
        return statistics;
    }

    /** Prepare answers for statement texts this pool has seen. */
    public StatementMetadataCache metadata() {
        return metadata;
    }

    public long connectFailures() {
        return growth.backoff().failures();
    }

    public long serverRefusals() {
        return growth.backoff().serverRefusals();
    }

    Settings settings() {
        return settings;
    }

    Pools pools() {
        return pools;
    }

    ConnectionLifetime lifetime() {
        return lifetime;
    }

    PoolGrowth growth() {
        return growth;
    }

    ConnectionChecks checks() {
        return checks;
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
