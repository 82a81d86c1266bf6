package io.mysqlmux.proxy.pool;

import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendConnector;
import io.mysqlmux.proxy.backend.ServerHealth;
import io.mysqlmux.proxy.backend.ServerInfoHolder;
import io.mysqlmux.proxy.backend.WireShape;
import io.mysqlmux.proxy.config.ProxyConfig;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.config.Settings;
import io.mysqlmux.proxy.config.UserConfig;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.proxy.net.Transport;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * All backend pools of one server, the count of server connections across them, and what the
 * proxy learned about the server. At start-up it keeps trying to reach the server until it knows
 * the greeting that clients must see.
 */
public final class Pools {
    private static final Logger log = LoggerFactory.getLogger(Pools.class);
    private static final int MAX_KNOWN_SCHEMAS = 10_000;
    private static final long MAX_PROBE_BACKOFF_MILLIS = 30_000;

    private static final long MAINTENANCE_PERIOD_MILLIS = 1000;
    /** Share of the server's max_connections the proxy takes when backend.max_connections is 0. */
    private static final double AUTOMATIC_SHARE = 0.8;

    private final ProxyConfig config;
    private final Settings settings;
    private final Transport transport;
    private final ServerInfoHolder serverInfo = new ServerInfoHolder();
    private final ServerHealth health = new ServerHealth();
    private final ConnectionLifetime lifetime;
    private final BackendConnector connector;
    private final ConcurrentMap<PoolKey, BackendPool> pools = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger peakConnections = new AtomicInteger();
    private final Set<String> knownSchemas = ConcurrentHashMap.newKeySet();
    private final List<Consumer<BackendPool>> poolListeners = new CopyOnWriteArrayList<>();
    /** Some pool wanted a connection the global cap did not allow: wake it when one closes. */
    private volatile boolean capBlocked;
    private volatile boolean closed;
    /** Bumped by every SET GLOBAL a client runs through the proxy: sessions and connections note theirs. */
    private final java.util.concurrent.atomic.AtomicLong globalsEpoch = new java.util.concurrent.atomic.AtomicLong();
    /** When a client last changed accounts or privileges; connections opened before log in again. */
    private volatile long accountsChangedNanos = Long.MIN_VALUE;
    private volatile HolderCensus census = pool -> new HolderCensus.Holders(0, 0, 0);
    private ScheduledFuture<?> maintenance;

    public Pools(ProxyConfig config, Transport transport) {
        this.config = config;
        this.settings = config.settings();
        this.transport = transport;
        this.lifetime = new ConnectionLifetime(settings, serverInfo, this);
        this.connector = new BackendConnector(config.backend(), settings, transport, serverInfo);
        settings.onChange((setting, value) -> {
            if (setting == Setting.POOL_MAX_SIZE || setting == Setting.POOL_MIN_IDLE
                    || setting == Setting.BACKEND_MAX_CONNECTIONS || setting == Setting.POOL_MAX_CONNECTING) {
                transport.group().next().execute(this::maintain);
            }
        });
    }

    public ServerInfoHolder serverInfo() {
        return serverInfo;
    }

    /** The generation of the server's global variables as the proxy has seen them change. */
    public long globalsEpoch() {
        return globalsEpoch.get();
    }

    /**
     * A client changed global variables (SET GLOBAL): a session that starts from now on must have
     * them as its defaults, so a connection whose session defaults are older is reset before it serves one.
     */
    public void globalsChanged() {
        globalsEpoch.incrementAndGet();
    }

    /**
     * A client changed accounts or privileges (GRANT, REVOKE, CREATE USER ...): a server session keeps
     * the privileges it logged in with, so every connection opened before now is replaced, idle ones
     * at once, the others when they come back.
     */
    public void accountsChanged() {
        accountsChangedNanos = System.nanoTime();
        transport.group().next().execute(this::maintain);
    }

    boolean openedBeforeAccountsChanged(long createdNanos) {
        long changed = accountsChangedNanos;
        return changed != Long.MIN_VALUE && createdNanos - changed < 0;
    }

    /** Who tells the pools why their connections are held (the session registry). */
    public void census(HolderCensus holders) {
        census = holders;
    }

    HolderCensus census() {
        return census;
    }

    public ServerHealth health() {
        return health;
    }

    /** Opens server connections (for pools, and for the occasional unpooled one such as a KILL). */
    public BackendConnector connector() {
        return connector;
    }

    /** The pool for {@code user} in the client's wire shape, created on first use. */
    public BackendPool pool(UserConfig user, WireShape shape) {
        PoolKey key = new PoolKey(config.backend(), user.name(), shape);
        BackendPool pool = pools.get(key);
        if (pool != null) {
            return pool;
        }
        BackendPool created = new BackendPool(key, user, this, settings, lifetime, transport.group(),
                statementsPerConnection());
        pool = pools.putIfAbsent(key, created);
        if (pool != null) {
            return pool;
        }
        poolListeners.forEach(listener -> listener.accept(created));
        return created;
    }

    /** Runs {@code listener} for every pool, now for those that exist and later as each is created. */
    public void onPoolCreated(Consumer<BackendPool> listener) {
        poolListeners.add(listener);
        pools.values().forEach(listener);
    }

    public Collection<BackendPool> all() {
        return Collections.unmodifiableCollection(pools.values());
    }

    /**
     * The configured cap on prepared statements per server connection, or (0 = automatic) one that
     * keeps every connection of every pool together under half the server's max_prepared_stmt_count,
     * which all clients of the server share: between 16 and 1024.
     */
    private int statementsPerConnection() {
        int configured = settings.intValue(Setting.POOL_PREPARED_STATEMENTS);
        if (configured > 0) {
            return configured;
        }
        long serverLimit = serverInfo.isKnown() ? serverInfo.get().maxPreparedStmtCount() : 16382;
        long connections = Math.max(1, Math.min(connectionCap(),
                (long) settings.intValue(Setting.POOL_MAX_SIZE) * Math.max(1, config.users().size())));
        return (int) Math.max(16, Math.min(1024, serverLimit / 2 / connections));
    }

    /**
     * Takes one slot under the global cap for {@code requester}. At the cap, an idle connection of
     * another pool is closed to make room (an idle connection means that pool has nobody waiting).
     */
    boolean reserveConnection(BackendPool requester) {
        for (int attempt = 0; attempt < 2; attempt++) {
            int current = connections.get();
            while (current < connectionCap()) {
                if (connections.compareAndSet(current, current + 1)) {
                    peakConnections.accumulateAndGet(current + 1, Math::max);
                    return true;
                }
                current = connections.get();
            }
            if (!closeIdleElsewhere(requester)) {
                break;
            }
        }
        capBlocked = true;
        return false;
    }

    private boolean closeIdleElsewhere(BackendPool requester) {
        BackendPool richest = null;
        int richestIdle = 0;
        for (BackendPool pool : pools.values()) {
            int idle = pool.counts().idle();
            if (pool != requester && idle > richestIdle) {
                richest = pool;
                richestIdle = idle;
            }
        }
        if (richest == null || !PoolMaintenance.retireOneIdle(richest)) {
            return false;
        }
        log.debug("closed an idle connection of pool {} to make room for pool {} under backend.max_connections",
                richest.key(), requester.key());
        return true;
    }

    void releaseConnection() {
        connections.decrementAndGet();
        if (capBlocked && !closed) {
            capBlocked = false;
            transport.group().next().execute(this::wakeLongestWaitingFirst);
        }
    }

    /** A slot under the cap freed: the pool whose oldest command has waited longest gets it first (fair across users). */
    private void wakeLongestWaitingFirst() {
        record Waiting(BackendPool pool, long longestWaitNanos) {
        }
        List<Waiting> waiting = new ArrayList<>();
        for (BackendPool pool : pools.values()) {
            PoolCounts now = pool.counts();
            if (now.waiting() > 0) {
                waiting.add(new Waiting(pool, now.longestWaitNanos()));
            }
        }
        waiting.sort(Comparator.comparingLong(Waiting::longestWaitNanos).reversed());
        waiting.forEach(w -> w.pool().growth().growNow());
    }

    /**
     * The most server connections all pools together may hold: backend.max_connections, or (0 =
     * automatic) four fifths of the server's max_connections once known.
     */
    public int connectionCap() {
        int configured = settings.intValue(Setting.BACKEND_MAX_CONNECTIONS);
        if (configured > 0) {
            return configured;
        }
        return serverInfo.isKnown()
                ? (int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) (serverInfo.get().maxConnections() * AUTOMATIC_SHARE)))
                : Integer.MAX_VALUE;
    }

    /** Server connections open or being opened, across all pools. */
    public int connectionCount() {
        return connections.get();
    }

    /**
     * The multiplexing figure: client sessions per open server connection. Hundreds means the pool
     * is shared well; near 1 means sharing has collapsed (pinned sessions, long transactions), which
     * an operator must see at a glance. 0 while no server connection is open.
     */
    public double sharingRatio(int clientSessions) {
        int servers = connections.get();
        return servers == 0 ? 0 : (double) clientSessions / servers;
    }

    /** The most server connections open at once since start. */
    public int peakConnectionCount() {
        return peakConnections.get();
    }

    /** Schemas a server connection already accepted (so logins naming them need no server round trip). */
    public boolean isKnownSchema(String schema) {
        return knownSchemas.contains(schema);
    }

    public void schemaExists(String schema) {
        if (knownSchemas.size() >= MAX_KNOWN_SCHEMAS) {
            knownSchemas.clear();
        }
        knownSchemas.add(schema);
    }

    /**
     * Opens the first server connection to learn the server's greeting, retrying with backoff while
     * the server is unreachable. The connection then serves clients like any other.
     */
    public void start() {
        UserConfig first = config.users().values().stream().findFirst().orElse(null);
        if (first == null) {
            log.warn("no users configured: every client login will be refused (set mysqlmux.users or MYSQLMUX_USER)");
            return;
        }
        // Every user's usual pool exists from the start, so that min_idle can fill it before demand.
        config.users().values().forEach(user -> pool(user, WireShape.DRIVER_DEFAULT));
        probe(first, transport.group().next(), 500);
        maintenance = transport.group().next().scheduleAtFixedRate(this::maintain, MAINTENANCE_PERIOD_MILLIS,
                MAINTENANCE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Retires idle connections and tops pools up to min_idle (see {@link PoolMaintenance}); with no
     * server connection at all, opens one so that {@link ServerHealth} stays current.
     */
    private void maintain() {
        if (closed) {
            return;
        }
        if (connections.get() == 0 && serverInfo.isKnown()) {
            pools.values().stream().findFirst().ifPresent(pool -> pool.growth().openOne());
        }
        for (BackendPool pool : pools.values()) {
            try {
                PoolMaintenance.run(pool);
            } catch (RuntimeException e) {
                log.error("pool {}: maintenance failed; it runs again in a second", pool.key(), e);
            }
        }
    }

    private void probe(UserConfig user, EventLoop loop, long backoffMillis) {
        if (closed || serverInfo.isKnown()) {
            return;
        }
        BackendPool pool = pool(user, WireShape.DRIVER_DEFAULT);
        connector.open(loop, user, WireShape.DRIVER_DEFAULT, new BackendConnector.Callback() {
            @Override
            public void connected(BackendConnection connection) {
                peakConnections.accumulateAndGet(connections.incrementAndGet(), Math::max);
                health.connected();
                log.info("server {} ({}): max_connections {}, wait_timeout {} s; mysqlmux keeps at most {} server"
                                + " connections (backend.max_connections), {} per pool (pool.max_size)",
                        config.backend(), serverInfo.get().serverVersion(), serverInfo.get().maxConnections(),
                        serverInfo.get().waitTimeoutSeconds(), connectionCap(), settings.intValue(Setting.POOL_MAX_SIZE));
                adopt(pool, connection);
            }

            @Override
            public void failed(String reason, ErrPacket serverError) {
                health.connectFailed(reason);
                log.warn("cannot reach the server at {} as {}: {}; retrying in {} ms", config.backend(), user.name(),
                        reason, backoffMillis);
                loop.schedule(() -> probe(user, loop, Math.min(backoffMillis * 2, MAX_PROBE_BACKOFF_MILLIS)),
                        backoffMillis, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Takes in a connection opened outside the pool's growth (the start-up probe). */
    private static void adopt(BackendPool pool, BackendConnection connection) {
        PooledConnection pooled = new PooledConnection((EventLoop) connection.homeLoop());
        synchronized (pool.lock()) {
            pool.records().add(pooled);
        }
        pool.connected(pooled, connection);
    }

    public void close() {
        closed = true;
        if (maintenance != null) {
            maintenance.cancel(false);
        }
        pools.values().forEach(PoolMaintenance::closeIdle);
    }
}
