package io.mysqlmux.it;

import io.mysqlmux.proxy.pool.ConnectionView;
import io.mysqlmux.proxy.pool.BackendPool;
import io.mysqlmux.proxy.pool.Pools;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.LogCapture;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.ServerConnectionMonitor;
import io.mysqlmux.testing.Sql;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.mysqlmux.it.QueueIT.appPool;
import static io.mysqlmux.it.QueueIT.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server connections come and go under the clients without a single client error: rotation at
 * max_lifetime under load, connections killed on the server, a server that answers "Too many
 * connections" while the pool grows, min_idle / idle_timeout, and the cap across pools.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class PoolLifecycleIT {

    @BeforeAll
    static void table(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE app.counters (id INT PRIMARY KEY, n INT) ENGINE=InnoDB");
            s.execute("INSERT INTO app.counters SELECT seq, 0 FROM seq_1_to_16");
        }
    }

    @Test
    void connectionsRotateAtMaxLifetimeUnderLoadWithoutAClientError(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 4, "pool.max_lifetime", "1s",
                "pool.queue_timeout", "30s"));
             ServerConnectionMonitor server = ServerConnectionMonitor.start(db, EmbeddedMariaDb.APP.user())) {
            long before = sumOfCounters(db);
            long abortedBefore = abortedClients(db);
            long committed = runTransactions(proxy, 8, TimeUnit.SECONDS.toNanos(5));
            BackendPool pool = appPool(proxy);
            assertTrue(committed > 100, "load ran: " + committed + " transactions");
            assertTrue(pool.counts().closed() >= 4, "connections were retired: " + pool.counts().closed());
            assertTrue(pool.counts().opened() >= 8, "and replaced: " + pool.counts().opened());
            assertTrue(server.peak() <= 4, "never more than max_size at once: " + server.peak());
            assertEquals(committed, sumOfCounters(db) - before, "every committed transaction is there");
            assertEquals(abortedBefore, abortedClients(db),
                    "retired connections were ended with COM_QUIT, not cut (the server's Aborted_clients)");
        }
    }

    private static long abortedClients(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.rootConnection();
             Statement s = root.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Aborted_clients'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    @Test
    void connectionsKilledOnTheServerAreNeverLentToAClient(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 4, "pool.validation_interval", "1ms"));
             Connection root = db.rootConnection()) {
            List<Connection> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                clients.add(proxy.connect());
                QueueIT.holdConnection(clients.get(i));
            }
            for (Connection c : clients) {
                Sql.exec(c, "COMMIT");
            }
            BackendPool pool = appPool(proxy);
            assertEquals(4, pool.counts().idle());
            long closedBefore = pool.counts().closed();
            for (ConnectionView idle : pool.connections()) {
                Sql.exec(root, "KILL " + idle.connection().serverThreadId());
            }
            for (int round = 0; round < 3; round++) {
                for (Connection c : clients) {
                    assertEquals("5", Sql.one(c, "SELECT 5"), "no client sees a killed connection");
                }
            }
            assertTrue(pool.counts().closed() - closedBefore >= 4, "the four killed connections were dropped");
            for (Connection c : clients) {
                c.close();
            }
        }
    }

    /**
     * The server has room for two more connections; the pool wants eight. It grows to what the server
     * gives, logs the refusal once, and serves every command with what it has.
     */
    @Test
    void serverAnswering1040WhilePoolGrowsIsNeverSeenByAClient(EmbeddedMariaDb db) throws Exception {
        List<Connection> fillers = new ArrayList<>();
        try (LogCapture logs = LogCapture.of("io.mysqlmux.proxy.pool.GrowthBackoff");
             ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 8, "pool.queue_timeout", "60s",
                     "pool.max_connecting", 8));
             Connection root = db.rootConnection()) {
            String original = Sql.one(root, "SELECT @@max_connections");
            // The server's smallest max_connections is 10: fill it with direct connections, then free two.
            Sql.exec(root, "SET GLOBAL max_connections = 10");
            try {
                // Connections closed by earlier tests may still be leaving, and the proxy opens its first
                // server connection on its own at start: wait until only the proxy's own are left, so that
                // exactly two slots are free below.
                Pools pools = proxy.server().pools();
                awaitTrue(() -> pools.connectionCount() >= 1
                        && otherClientConnections(root) == pools.connectionCount(), "only the proxy is connected");
                int heldBefore = pools.connectionCount();
                while (fillers.size() < 20) {
                    try {
                        fillers.add(db.connection(EmbeddedMariaDb.OTHER, "app"));
                    } catch (SQLException full) {
                        assertEquals(1040, full.getErrorCode(), full.getMessage());
                        break;
                    }
                }
                for (int i = 0; i < 2; i++) {
                    fillers.remove(fillers.size() - 1).close();
                }
                long committed = runTransactions(proxy, 8, TimeUnit.SECONDS.toNanos(3));
                BackendPool pool = appPool(proxy);
                assertTrue(committed > 50, "clients were served: " + committed);
                assertTrue(pool.serverRefusals() >= 1, "the server did refuse: " + pool.describe());
                assertTrue(pools.connectionCount() <= heldBefore + 2,
                        "the proxy has what the server gave (" + heldBefore + " + 2): " + pool.describe());
                long warnings = logs.messages().stream().filter(m -> m.contains("refused a new connection")).count();
                assertEquals(1, warnings, "logged once, not per client: " + logs.messages());
            } finally {
                for (Connection filler : fillers) {
                    filler.close();
                }
                Sql.exec(root, "SET GLOBAL max_connections = " + original);
            }
        }
    }

    @Test
    void minIdleConnectionsAreOpenedAndTheRestCloseAfterIdleTimeout(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 6, "pool.min_idle", 2,
                "pool.idle_timeout", "1s"))) {
            BackendPool pool = appPool(proxy);
            awaitTrue(() -> pool.counts().idle() >= 2, "min_idle connections opened ahead of demand");
            runTransactions(proxy, 6, TimeUnit.MILLISECONDS.toNanos(500));
            awaitTrue(() -> pool.counts().size() == 2 && pool.counts().idle() == 2,
                    "back to min_idle after idle_timeout: " + pool.describe());
        }
    }

    @Test
    void capAcrossPoolsClosesAnIdleConnectionOfAnotherPoolToServeAWaitingOne(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 3, "backend.max_connections", 3,
                "pool.queue_timeout", "10s"))) {
            List<Connection> app = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                app.add(proxy.connect());
                QueueIT.holdConnection(app.get(i));
            }
            for (Connection c : app) {
                Sql.exec(c, "COMMIT");
            }
            assertEquals(3, proxy.server().pools().connectionCount());
            try (Connection other = DriverManager.getConnection(proxy.mysqlUrl("app", ""),
                    EmbeddedMariaDb.OTHER.user(), EmbeddedMariaDb.OTHER.password())) {
                assertTrue(Sql.one(other, "SELECT CURRENT_USER()").startsWith("other@"));
            }
            assertTrue(proxy.server().pools().connectionCount() <= 3, "the cap held");
            for (Connection c : app) {
                assertEquals("1", Sql.one(c, "SELECT 1"));
                c.close();
            }
        }
    }

    /** Client connections on the server other than {@code root} itself (background threads excluded). */
    private static long otherClientConnections(Connection root) {
        try {
            return Long.parseLong(Sql.one(root, "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                    + " WHERE ID <> CONNECTION_ID() AND COMMAND <> 'Daemon' AND USER <> 'system user'"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Threads running short transactions (an increment each) until the deadline; returns how many committed. */
    private static long runTransactions(ProxyFixture proxy, int threads, long durationNanos) throws Exception {
        AtomicLong committed = new AtomicLong();
        long deadline = System.nanoTime() + durationNanos;
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t % 16 + 1;
                done.add(workers.submit(() -> {
                    try (Connection c = proxy.connect()) {
                        c.setAutoCommit(false);
                        while (System.nanoTime() < deadline) {
                            try (Statement s = c.createStatement()) {
                                s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = " + id);
                            }
                            c.commit();
                            committed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            workers.shutdownNow();
        }
        return committed.get();
    }

    private static long sumOfCounters(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.rootConnection()) {
            return Long.parseLong(Sql.one(root, "SELECT SUM(n) FROM app.counters"));
        }
    }
}
