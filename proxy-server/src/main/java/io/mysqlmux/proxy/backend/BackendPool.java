package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.proxy.config.PoolConfig;
import io.mysqlmux.proxy.config.UserConfig;
import io.mysqlmux.proxy.relay.ProxyError;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
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
 */
public final class BackendPool {
    private static final Logger log = LoggerFactory.getLogger(BackendPool.class);
    /** How many idle connections an acquire looks through for a preferred one. */
    private static final int MATCH_SCAN_LIMIT = 16;

    private final PoolKey key;
    private final UserConfig user;
    private final BackendConnector connector;
    private final Pools pools;
    private final Map<EventExecutor, Deque<BackendConnection>> shelves;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final Set<BackendConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger waiting = new AtomicInteger();
    /** Open connections plus those being opened: what counts against max_size. */
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final AtomicLong queueTimeouts = new AtomicLong();
    private final PoolStatistics statistics = new PoolStatistics();
    private final StatementMetadataCache metadata = new StatementMetadataCache();
    private final int statementsPerConnection;
    private volatile PoolConfig config;

    BackendPool(PoolKey key, UserConfig user, PoolConfig config, BackendConnector connector, Pools pools,
                EventLoopGroup group, int statementsPerConnection) {
        this.key = key;
        this.statementsPerConnection = statementsPerConnection;
        this.user = user;
        this.config = config;
        this.connector = connector;
        this.pools = pools;
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
        if (waiting.get() == 0) {
            BackendConnection idle = takeIdle(loop, requester);
            if (idle != null) {
                lease(idle, requester);
                return null;
            }
        }
        PoolConfig limits = config;
        if (waiting.get() >= limits.queueMax()) {
            requester.onLeaseFailed(ProxyError.QUEUE_FULL.packet(waiting.get(), key));
            return null;
        }
        Waiter waiter = new Waiter(requester);
        waiters.add(waiter);
        waiting.incrementAndGet();
        waiter.timeout(loop.schedule(() -> timeOut(waiter, limits.queueTimeout().toMillis()),
                limits.queueTimeout().toMillis(), TimeUnit.MILLISECONDS));
        grow((EventLoop) loop);
        BackendConnection idle = takeIdle(loop, null);
        if (idle != null) {
            offer(idle);
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

    /** Closes a connection that cannot be reused (cut off mid-response, cleanup failed). */
    public void discard(BackendConnection connection) {
        connection.detach();
        connection.close();
        gone(connection);
    }

    /** Hands a free connection to the oldest waiter, or puts it on its home loop's shelf. */
    private void offer(BackendConnection connection) {
        BackendConnection free = connection;
        while (free != null) {
            Waiter waiter;
            while ((waiter = waiters.poll()) != null) {
                waiting.decrementAndGet();
                if (waiter.claim()) {
                    waiter.cancelTimeout();
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
        queueTimeouts.incrementAndGet();
        waiter.requester().onLeaseFailed(ProxyError.QUEUE_TIMEOUT.packet(timeoutMillis, key, describe()));
    }

    /** Opens one more connection if the pool and the global cap allow. */
    private void grow(EventLoop loop) {
        int current;
        do {
            current = size.get();
            if (current >= config.maxSize()) {
                return;
            }
        } while (!size.compareAndSet(current, current + 1));
        if (!pools.reserveConnection()) {
            size.decrementAndGet();
            return;
        }
        connector.open(loop, user, key.foundRows(), new BackendConnector.Callback() {
            @Override
            public void connected(BackendConnection connection) {
                register(connection);
            }

            @Override
            public void failed(String reason, ErrPacket serverError) {
                size.decrementAndGet();
                pools.releaseConnection();
                onConnectFailed(reason, serverError);
            }
        });
    }

    private void onConnectFailed(String reason, ErrPacket serverError) {
        log.warn("pool {}: cannot open a server connection: {}", key, reason);
        if (size.get() > 0) {
            return;
        }
        // Nothing to wait for: no connection is open or being opened, so tell the waiters now.
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

    /** An idle connection died on its shelf (server restart, wait_timeout, network). */
    void onIdleConnectionClosed(BackendConnection connection) {
        if (shelves.get(connection.homeLoop()).remove(connection)) {
            gone(connection);
        }
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
        if (waiting.get() > 0) {
            grow(connection.homeLoop());
        }
    }

    /** {@code size 4/4, idle 0, waiting 12}: for error messages and logs. */
    public String describe() {
        int idle = shelves.values().stream().mapToInt(Deque::size).sum();
        return "size " + size.get() + "/" + config.maxSize() + ", idle " + idle + ", waiting " + waiting.get();
    }

    public int size() {
        return size.get();
    }

    public int waiting() {
        return waiting.get();
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

    public long queueTimeouts() {
        return queueTimeouts.get();
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
        for (Deque<BackendConnection> shelf : shelves.values()) {
            BackendConnection connection;
            while ((connection = shelf.pollFirst()) != null) {
                discard(connection);
            }
        }
    }
}
