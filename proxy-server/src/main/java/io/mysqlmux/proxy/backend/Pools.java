package io.mysqlmux.proxy.backend;

import io.mysqlmux.proxy.Transport;
import io.mysqlmux.proxy.config.ProxyConfig;
import io.mysqlmux.proxy.config.UserConfig;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * All backend pools of one server, the count of server connections across them, and what the
 * proxy learned about the server. At start-up it keeps trying to reach the server until it knows
 * the greeting that clients must see.
 */
public final class Pools {
    private static final Logger log = LoggerFactory.getLogger(Pools.class);
    private static final int MAX_KNOWN_SCHEMAS = 10_000;
    private static final long MAX_PROBE_BACKOFF_MILLIS = 30_000;

    private final ProxyConfig config;
    private final Transport transport;
    private final ServerInfoHolder serverInfo = new ServerInfoHolder();
    private final BackendConnector connector;
    private final ConcurrentMap<PoolKey, BackendPool> pools = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<String> knownSchemas = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public Pools(ProxyConfig config, Transport transport) {
        this.config = config;
        this.transport = transport;
        this.connector = new BackendConnector(config.backend(), config.connectTimeout(), transport, serverInfo);
    }

    public ServerInfoHolder serverInfo() {
        return serverInfo;
    }

    /** Opens server connections (for pools, and for the occasional unpooled one such as a KILL). */
    public BackendConnector connector() {
        return connector;
    }

    /** The pool for {@code user} with the client's FOUND_ROWS choice, created on first use. */
    public BackendPool pool(UserConfig user, boolean foundRows) {
        PoolKey key = new PoolKey(config.backend(), user.name(), foundRows);
        return pools.computeIfAbsent(key, k -> new BackendPool(k, user, config.pool(), connector, this,
                transport.group(), statementsPerConnection()));
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
        int configured = config.pool().preparedStatementsPerConnection();
        if (configured > 0) {
            return configured;
        }
        long serverLimit = serverInfo.isKnown() ? serverInfo.get().maxPreparedStmtCount() : 16382;
        long connections = Math.max(1, (long) config.pool().maxSize() * Math.max(1, config.users().size()));
        return (int) Math.max(16, Math.min(1024, serverLimit / 2 / connections));
    }

    /** Takes one slot of the cross-pool connection count (a global cap comes with issue #5). */
    boolean reserveConnection() {
        connections.incrementAndGet();
        return true;
    }

    void releaseConnection() {
        connections.decrementAndGet();
    }

    /** Server connections open or being opened, across all pools. */
    public int connectionCount() {
        return connections.get();
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
        probe(first, transport.group().next(), 500);
    }

    private void probe(UserConfig user, EventLoop loop, long backoffMillis) {
        if (closed || serverInfo.isKnown()) {
            return;
        }
        BackendPool pool = pool(user, true);
        connector.open(loop, user, true, new BackendConnector.Callback() {
            @Override
            public void connected(BackendConnection connection) {
                connections.incrementAndGet();
                pool.adopt(connection);
            }

            @Override
            public void failed(String reason, ErrPacket serverError) {
                log.warn("cannot reach the server at {} as {}: {}; retrying in {} ms", config.backend(), user.name(),
                        reason, backoffMillis);
                loop.schedule(() -> probe(user, loop, Math.min(backoffMillis * 2, MAX_PROBE_BACKOFF_MILLIS)),
                        backoffMillis, TimeUnit.MILLISECONDS);
            }
        });
    }

    public void close() {
        closed = true;
        pools.values().forEach(BackendPool::closeIdle);
    }
}
