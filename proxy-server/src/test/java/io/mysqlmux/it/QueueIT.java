package io.mysqlmux.it;

import io.mysqlmux.proxy.backend.WireShape;
import io.mysqlmux.proxy.pool.BackendPool;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.ServerConnectionMonitor;
import io.mysqlmux.testing.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wait queue in front of a full pool: a clear error at queue_timeout and at queue_max with the
 * client connection still usable, and pool.max_size changed at run time in both directions.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class QueueIT {

    @Test
    void commandThatWaitsPastQueueTimeoutGetsAClearErrorAndTheConnectionStaysUsable(EmbeddedMariaDb db)
            throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1, "pool.queue_timeout", "500ms"));
             Connection holder = proxy.connect(); Connection waiter = proxy.connect()) {
            holdConnection(holder);

            long started = System.nanoTime();
            SQLException timedOut = assertThrows(SQLException.class, () -> Sql.one(waiter, "SELECT 2"));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertEquals(1226, timedOut.getErrorCode(), timedOut.getMessage());
            assertEquals("42000", timedOut.getSQLState(), "not 08xxx: drivers must not throw the connection away");
            String message = timedOut.getMessage();
            assertTrue(message.contains("500 ms") && message.contains("app@") && message.contains("size 1/1")
                    && message.contains("pool.queue_timeout"), message);
            assertTrue(waitedMillis >= 450, "waited " + waitedMillis + " ms");

            Sql.exec(holder, "COMMIT");
            assertEquals("2", Sql.one(waiter, "SELECT 2"), "the same client connection works afterwards");
            assertEquals(1, appPool(proxy).statistics().timeouts());
        }
    }

    @Test
    void queueMaxRefusesTheCommandBeyondItAtOnceAndTheWaitingOnesProceed(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1, "pool.queue_max", 2,
                "pool.queue_timeout", "30s"))) {
            ExecutorService threads = Executors.newCachedThreadPool();
            List<Connection> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    clients.add(proxy.connect());
                }
                Connection holder = clients.get(0);
                holdConnection(holder);
                List<Future<String>> waiting = List.of(
                        threads.submit(() -> Sql.one(clients.get(1), "SELECT 'b'")),
                        threads.submit(() -> Sql.one(clients.get(2), "SELECT 'c'")));
                BackendPool pool = appPool(proxy);
                awaitTrue(() -> pool.counts().waiting() == 2, "two commands wait");

                long started = System.nanoTime();
                SQLException full = assertThrows(SQLException.class, () -> Sql.one(clients.get(3), "SELECT 'd'"));
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "refused at once, not after a wait");
                assertEquals(1226, full.getErrorCode(), full.getMessage());
                assertTrue(full.getMessage().contains("pool.queue_max"), full.getMessage());

                Sql.exec(holder, "COMMIT");
                assertEquals("b", waiting.get(0).get(10, TimeUnit.SECONDS));
                assertEquals("c", waiting.get(1).get(10, TimeUnit.SECONDS));
                assertEquals("d", Sql.one(clients.get(3), "SELECT 'd'"));
                assertEquals(1, pool.statistics().queueFullRejections());
            } finally {
                threads.shutdownNow();
                for (Connection c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void raisingMaxSizeLetsAWaitingCommandProceedAtOnce(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1, "pool.queue_timeout", "30s"));
             Connection holder = proxy.connect(); Connection waiter = proxy.connect()) {
            ExecutorService thread = Executors.newSingleThreadExecutor();
            try {
                holdConnection(holder);
                Future<String> waiting = thread.submit(() -> Sql.one(waiter, "SELECT 'served'"));
                BackendPool pool = appPool(proxy);
                awaitTrue(() -> pool.counts().waiting() == 1, "the command waits");

                proxy.server().config().settings().set("pool.max_size", "2");
                assertEquals("served", waiting.get(10, TimeUnit.SECONDS), "served while the holder still holds");
                assertEquals(2, pool.counts().size());
                Sql.exec(holder, "COMMIT");
            } finally {
                thread.shutdownNow();
            }
        }
    }

    @Test
    void loweringMaxSizeCutsNoRunningTransactionAndThePoolShrinksAsConnectionsComeBack(EmbeddedMariaDb db)
            throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 4));
             ServerConnectionMonitor server = ServerConnectionMonitor.start(db, EmbeddedMariaDb.APP.user())) {
            List<Connection> transactions = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Connection c = proxy.connect();
                    holdConnection(c);
                    transactions.add(c);
                }
                BackendPool pool = appPool(proxy);
                assertEquals(4, pool.counts().size());

                proxy.server().config().settings().set("pool.max_size", "2");
                for (Connection c : transactions) {
                    assertEquals("7", Sql.one(c, "SELECT 7"), "running transactions go on");
                    Sql.exec(c, "COMMIT");
                }
                awaitTrue(() -> pool.counts().size() <= 2, "the pool shrank to the new max_size");
                for (Connection c : transactions) {
                    assertEquals("8", Sql.one(c, "SELECT 8"));
                }
                assertTrue(pool.counts().size() <= 2, "and stays within it: " + pool.describe());
                assertFalse(server.peak() > 4);
            } finally {
                for (Connection c : transactions) {
                    c.close();
                }
            }
        }
    }

    /** An open transaction: the session keeps its server connection until COMMIT. */
    static void holdConnection(Connection c) throws SQLException {
        Sql.exec(c, "START TRANSACTION");
        Sql.one(c, "SELECT 1");
    }

    /** The pool mysql-connector-j clients of user app use (they ask for FOUND_ROWS). */
    static BackendPool appPool(ProxyFixture proxy) {
        return proxy.server().pools().pool(proxy.server().config().users().get("app"), WireShape.DRIVER_DEFAULT);
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
