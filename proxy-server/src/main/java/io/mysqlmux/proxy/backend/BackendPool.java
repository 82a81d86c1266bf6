package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.config.Settings;
import io.mysqlmux.proxy.config.UserConfig;
import io.mysqlmux.proxy.relay.ProxyError;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server connections of one {@link PoolKey}, lent to client sessions one transaction at a time.
 *
 * <p>Idle connections sit on the shelf of their home event loop; a session takes from its own loop's
 * shelf first (no thread hand-off) and from another loop's only when its own is empty. When none is
 * idle and the pool is full, the command waits in a FIFO queue. A connection that comes back while
 * anyone waits goes straight to the oldest waiter, never to a shelf where the client that just let it
 * go, or a newcomer, could take it first: without that hand-off busy clients re-acquire and the rest
 * starve. No locks: shelves and queue are concurrent collections, and "put back, then look at the
 * queue" on one side against "queue up, then look at the shelves" on the other means no waiter is
 * ever left behind an idle connection.
 *
 * <p>A connection that sat idle longer than {@code validation_interval} is pinged before anyone gets
 * it; a connection past its lifetime, or beyond a lowered {@code max_size}, is closed when it comes
 * back instead of being lent again ({@link PoolMaintenance} retires idle ones).
 */
public final class BackendPool {
    private static final Logger log = LoggerFactory.getLogger(BackendPool.class);
    /** How many idle connections an acquire looks through for a preferred one. */
    private static final int MATCH_SCAN_LIMIT = 16;
    /** How long a retired connection's server has to close it after COM_QUIT before this side does. */
    private static final long QUIT_GRACE_MILLIS = 1000;

    private final PoolKey key;
    private final UserConfig user;
    private final BackendConnector connector;
    private final Pools pools;
    private final Settings settings;
    private final ConnectionLifetime lifetime;
    private final EventLoopGroup group;
    private final Map<EventExecutor, Deque<BackendConnection>> shelves;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final Set<BackendConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger waiting = new AtomicInteger();
    /** Open connections plus those being opened: what counts against max_size. */
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger connecting = new AtomicInteger();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final PoolStatistics statistics = new PoolStatistics();
    private final StatementMetadataCache metadata = new StatementMetadataCache();
    private final GrowthBackoff backoff;
    private final int statementsPerConnection;

    BackendPool(PoolKey key, UserConfig user, Settings settings, ConnectionLifetime lifetime,
                BackendConnector connector, Pools pools, EventLoopGroup group, int statementsPerConnection) {
        this.key = key;
        this.user = user;
        this.settings = settings;
        this.lifetime = lifetime;
        this.connector = connector;
        this.pools = pools;
        this.group = group;
        this.statementsPerConnection = statementsPerConnection;
        this.backoff = new GrowthBackoff(key);
        Map<EventExecutor, Deque<BackendConnection>> byLoop = new IdentityHashMap<>();
        group.forEach(loop -> byLoop.put(loop, new ConcurrentLinkedDeque<>()));
        this.shelves = Collections.unmodifiableMap(byLoop);
    }

    public PoolKey key() {
        return key;
    }

    /**
     * Asks for a connection for {@code requester}; must run on the requester's executor. The answer
     * comes through {@link LeaseRequester#onLeased} or {@link LeaseRequester#onLeaseFailed}, at once
     * when a connection is idle on this loop. Returns the waiter to {@link #cancel} if it had to wait.
     */
    public Waiter acquire(LeaseRequester requester) {
        EventExecutor loop = requester.executor();
        BackendConnection stale = null;
        if (waiting.get() == 0) {
            BackendConnection idle = takeIdle(loop, requester);
            if (idle != null && !needsValidation(idle)) {
                statistics.waited(0);
                lease(idle, requester);
                return null;
            }
            // Checked before anyone gets it; meanwhile this command waits like any other.
            stale = idle;
        }
        int queueMax = settings.intValue(Setting.POOL_QUEUE_MAX);
        if (waiting.get() >= queueMax) {
            if (stale != null) {
                validate(stale);
            }
            statistics.queueFull();
            requester.onLeaseFailed(ProxyError.QUEUE_FULL.packet(waiting.get(), key));
            return null;
        }
        Waiter waiter = new Waiter(requester);
        waiters.add(waiter);
        waiting.incrementAndGet();
        statistics.enqueued();
        long timeoutMillis = settings.value(Setting.POOL_QUEUE_TIMEOUT);
        waiter.timeout(loop.schedule(() -> timeOut(waiter, timeoutMillis), timeoutMillis, TimeUnit.MILLISECONDS));
        if (stale != null) {
            validate(stale);
            return waiter;
        }
        growForWaiters();
        BackendConnection idle = takeIdle(loop, null);
        if (idle != null) {
            offerChecked(idle);
        }
        return waiter;
    }

    /** The requester no longer needs a connection (client gone). */
    public void cancel(Waiter waiter) {
        if (waiter.claim()) {
            waiter.cancelTimeout();
            if (waiters.remove(waiter)) {
                waiting.decrementAndGet();
            }
        }
    }

    /** Takes back a clean connection (no transaction, nothing pinned) from its holder. */
    public void release(BackendConnection connection) {
        connection.detach();
        if (connection.isClosed()) {
            gone(connection);
            return;
        }
        offer(connection);
    }

    /**
     * Ends a healthy idle connection (lifetime over, idle too long, pool shrinking, room needed
     * elsewhere, shutdown) with COM_QUIT. Its slot is given back only once the server has closed it,
     * so that the server never counts more connections than the pool's size.
     */
    public void retire(BackendConnection connection) {
        connection.detach();
        connection.moveTo(BackendConnection.State.CLOSED);
        connection.channel().closeFuture().addListener(done -> gone(connection));
        connection.quit(QUIT_GRACE_MILLIS);
    }

    /** Closes a connection that cannot be reused (cut off mid-response, cleanup failed). */
    public void discard(BackendConnection connection) {
        connection.detach();
        connection.close();
        gone(connection);
    }

    /**
     * Hands a good connection to the oldest waiter, or puts it on its home loop's shelf; closes it
     * instead when it is past its lifetime or the pool is over a lowered max_size.
     */
    private void offer(BackendConnection connection) {
        BackendConnection free = connection;
        while (free != null) {
            if (mustRetire(free)) {
                retire(free);
                return;
            }
            Waiter waiter;
            while ((waiter = waiters.poll()) != null) {
                waiting.decrementAndGet();
                if (waiter.claim()) {
                    waiter.cancelTimeout();
                    statistics.waited(waiter.waitedNanos());
                    lease(free, waiter.requester());
                    return;
                }
            }
            free.moveTo(BackendConnection.State.IDLE);
            free.shelved();
            shelves.get(free.homeLoop()).addFirst(free);
            // A waiter may have queued after the poll above and looked at the shelves before this
            // connection got there: look at the queue once more.
            free = waiting.get() > 0 ? takeIdle(free.homeLoop(), null) : null;
            if (free != null && needsValidation(free)) {
                validate(free);
                return;
            }
        }
    }

    /** {@link #offer} for a connection taken from a shelf, which may need a ping first. */
    private void offerChecked(BackendConnection connection) {
        if (needsValidation(connection)) {
            validate(connection);
        } else {
            offer(connection);
        }
    }

    private boolean mustRetire(BackendConnection connection) {
        return size.get() > settings.intValue(Setting.POOL_MAX_SIZE) || lifetime.expired(connection, System.nanoTime());
    }

    private boolean needsValidation(BackendConnection connection) {
        long interval = TimeUnit.MILLISECONDS.toNanos(settings.value(Setting.POOL_VALIDATION_INTERVAL));
        return System.nanoTime() - connection.shelvedAtNanos() > interval;
    }

    /** COM_PING on its home loop: alive, it is offered like a returning connection; dead, it is closed. */
    private void validate(BackendConnection connection) {
        connection.moveTo(BackendConnection.State.VALIDATING);
        EventLoop home = connection.homeLoop();
        Runnable ping = () -> InternalCommand.run(connection, home,
                out -> out.writeByte(CommandCode.COM_PING.code()), ExpectedResponse.RESULT, false, (c, result) -> {
                    if (result.succeeded()) {
                        c.detach();
                        offer(c);
                    } else {
                        statistics.validationFailed();
                        log.info("pool {}: {} failed its check after sitting idle ({}); closed, another is used",
                                key, c, result.problem());
                        discard(c);
                    }
                });
        if (home.inEventLoop()) {
            ping.run();
        } else {
            home.execute(ping);
        }
    }

    private void lease(BackendConnection connection, LeaseRequester requester) {
        connection.moveTo(BackendConnection.State.LEASED);
        EventExecutor loop = requester.executor();
        if (loop.inEventLoop()) {
            requester.onLeased(connection);
        } else {
            loop.execute(() -> requester.onLeased(connection));
        }
    }

    /**
     * On the requester's own loop: the connection it used last, or one whose session state already
     * is what it wants (no sync needed), or the most recently used; then any other loop's shelf.
     */
    private BackendConnection takeIdle(EventExecutor loop, LeaseRequester requester) {
        Deque<BackendConnection> own = shelves.get(loop);
        BackendConnection match = requester == null ? null : bestMatch(own, requester);
        if (match != null && own.removeFirstOccurrence(match)) {
            return match;
        }
        BackendConnection connection = own.pollFirst();
        if (connection != null) {
            return connection;
        }
        for (Deque<BackendConnection> shelf : shelves.values()) {
            connection = shelf.pollFirst();
            if (connection != null) {
                return connection;
            }
        }
        return null;
    }

    /**
     * Looks at the first few idle connections only: state is compared by the hash noted when each
     * was shelved, so a connection another thread takes meanwhile is never read.
     */
    private static BackendConnection bestMatch(Deque<BackendConnection> shelf, LeaseRequester requester) {
        BackendConnection preferred = requester.preferred();
        SessionState wanted = requester.wantedState();
        int wantedHash = wanted == null ? 0 : wanted.hashCode();
        BackendConnection sameState = null;
        int looked = 0;
        for (BackendConnection candidate : shelf) {
            if (candidate == preferred) {
                return candidate;
            }
            if (sameState == null && wanted != null && candidate.shelvedStateHash() == wantedHash) {
                sameState = candidate;
            }
            if (++looked == MATCH_SCAN_LIMIT) {
                break;
            }
        }
        return sameState;
    }

    private void timeOut(Waiter waiter, long timeoutMillis) {
        if (!waiter.claim()) {
            return;
        }
        if (waiters.remove(waiter)) {
            waiting.decrementAndGet();
        }
        statistics.timedOut(waiter.waitedNanos());
        waiter.requester().onLeaseFailed(ProxyError.QUEUE_TIMEOUT.packet(timeoutMillis, key, describe()));
    }

    /** Opens connections while commands wait that the connections being opened will not cover. */
    void growForWaiters() {
        while (waiting.get() > connecting.get() && grow()) {
            // one more on its way
        }
    }

    /**
     * Opens one more connection if the pool, the connect bound, the global cap and the backoff
     * after a refusal allow; returns whether it started one.
     */
    boolean grow() {
        if (!backoff.allowsGrowth()) {
            return false;
        }
        int current;
        do {
            current = size.get();
            if (current >= settings.intValue(Setting.POOL_MAX_SIZE)
                    || connecting.get() >= settings.intValue(Setting.POOL_MAX_CONNECTING)) {
                return false;
            }
        } while (!size.compareAndSet(current, current + 1));
        if (!pools.reserveConnection(this)) {
            size.decrementAndGet();
            return false;
        }
        connecting.incrementAndGet();
        EventLoop loop = group.next();
        long startedNanos = System.nanoTime();
        connector.open(loop, user, key.foundRows(), new BackendConnector.Callback() {
            @Override
            public void connected(BackendConnection connection) {
                connecting.decrementAndGet();
                backoff.succeeded(startedNanos);
                pools.health().connected();
                register(connection);
                growForWaiters();
            }

            @Override
            public void failed(String reason, ErrPacket serverError) {
                connecting.decrementAndGet();
                size.decrementAndGet();
                pools.releaseConnection();
                if (!tooManyConnections(serverError)) {
                    // A full server is still a reachable one: readiness stays, the queue is served.
                    pools.health().connectFailed(serverError != null ? serverError.toString() : reason);
                }
                onConnectFailed(loop, reason, serverError);
            }
        });
        return true;
    }

    /**
     * The server did not give a connection. While the pool has connections (or the server said
     * "too many connections", which passes), waiters keep their place and the pool tries again after
     * a backoff; with none and no reason to expect one, they learn at once.
     */
    private void onConnectFailed(EventLoop loop, String reason, ErrPacket serverError) {
        long retryMillis = backoff.failed(reason, serverError, size.get() - connecting.get());
        if (size.get() > 0 || tooManyConnections(serverError)) {
            loop.schedule(this::growForWaiters, retryMillis, TimeUnit.MILLISECONDS);
            return;
        }
        ErrPacket error = serverError != null
                ? ProxyError.BACKEND_LOGIN_FAILED.packet(key.address(), key.user(), serverError.message())
                : ProxyError.BACKEND_UNREACHABLE.packet(key.address(), reason);
        Waiter waiter;
        while ((waiter = waiters.poll()) != null) {
            waiting.decrementAndGet();
            if (waiter.claim()) {
                waiter.cancelTimeout();
                LeaseRequester requester = waiter.requester();
                requester.executor().execute(() -> requester.onLeaseFailed(error));
            }
        }
    }

    /** The server's "too many connections" answers: global, per-user and per-account limits. */
    private static boolean tooManyConnections(ErrPacket serverError) {
        return serverError != null && (serverError.code() == ErrorCode.ER_CON_COUNT_ERROR.code()
                || serverError.code() == ErrorCode.ER_TOO_MANY_USER_CONNECTIONS.code()
                || serverError.code() == ErrorCode.ER_USER_LIMIT_REACHED.code());
    }

    /** An idle connection died on its shelf (server restart, wait_timeout, network). */
    void onIdleConnectionClosed(BackendConnection connection) {
        if (removeIdle(connection)) {
            gone(connection);
        }
    }

    /** Takes {@code connection} off its shelf; false if someone else took it first. */
    boolean removeIdle(BackendConnection connection) {
        return shelves.get(connection.homeLoop()).remove(connection);
    }

    /** A snapshot of the idle connections (for maintenance and views). */
    List<BackendConnection> idleConnections() {
        List<BackendConnection> idle = new ArrayList<>();
        shelves.values().forEach(idle::addAll);
        return idle;
    }

    private void gone(BackendConnection connection) {
        if (!connection.markGone()) {
            return;
        }
        connections.remove(connection);
        if (connection.statements() != null) {
            connection.statements().clear();
        }
        closed.incrementAndGet();
        size.decrementAndGet();
        pools.releaseConnection();
        growForWaiters();
    }

    /** {@code size 4/4, idle 0, waiting 12}: for error messages and logs. */
    public String describe() {
        return "size " + size.get() + "/" + settings.intValue(Setting.POOL_MAX_SIZE) + ", idle " + idleCount()
                + ", waiting " + waiting.get();
    }

    public int size() {
        return size.get();
    }

    public int maxSize() {
        return settings.intValue(Setting.POOL_MAX_SIZE);
    }

    public int idleCount() {
        int idle = 0;
        for (Deque<BackendConnection> shelf : shelves.values()) {
            idle += shelf.size();
        }
        return idle;
    }

    public int waiting() {
        return waiting.get();
    }

    /** How long the oldest waiting command has waited, in nanoseconds (0 when none waits). */
    public long longestWaitNanos() {
        Waiter oldest = waiters.peek();
        return oldest == null ? 0 : oldest.waitedNanos();
    }

    public Set<BackendConnection> connections() {
        return Collections.unmodifiableSet(connections);
    }

    public long opened() {
        return opened.get();
    }

    public long closedCount() {
        return closed.get();
    }

    /** Failed attempts to open a connection, and of those the server's ERROR 1040s. */
    public long connectFailures() {
        return backoff.failures();
    }

    public long serverRefusals() {
        return backoff.serverRefusals();
    }

    public PoolStatistics statistics() {
        return statistics;
    }

    /** Prepare answers for statement texts this pool has seen. */
    public StatementMetadataCache metadata() {
        return metadata;
    }

    /** How many prepared statements one of its connections keeps. */
    public int statementsPerConnection() {
        return statementsPerConnection;
    }

    ConnectionLifetime lifetime() {
        return lifetime;
    }

    Settings settings() {
        return settings;
    }

    /** Takes in a connection opened outside {@link #grow} (the start-up probe). */
    void adopt(BackendConnection connection) {
        size.incrementAndGet();
        register(connection);
    }

    private void register(BackendConnection connection) {
        connection.pool(this, new ServerStatements(statementsPerConnection, statistics));
        connections.add(connection);
        opened.incrementAndGet();
        offer(connection);
    }

    /** Closes every idle connection (shutdown). */
    public void closeIdle() {
        for (BackendConnection connection : idleConnections()) {
            if (removeIdle(connection)) {
                retire(connection);
            }
        }
    }
}
