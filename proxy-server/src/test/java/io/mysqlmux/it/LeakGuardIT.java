package io.mysqlmux.it;

import io.mysqlmux.proxy.session.SessionWatchdog;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.LogCapture;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.Sql;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leak guard: a client that opens a transaction, takes row locks and goes silent is cut at
 * idle_in_transaction_timeout; its transaction is rolled back, its locks released, and a client
 * waiting for the only server connection (and for the lock) proceeds. Before that, the long hold
 * is logged once with who holds it and what it ran, without the statement's values.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class LeakGuardIT {

    @BeforeAll
    static void table(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE app.accounts (id INT PRIMARY KEY, owner VARCHAR(40), balance INT)"
                    + " ENGINE=InnoDB");
            s.execute("INSERT INTO app.accounts VALUES (1, 'alice', 100)");
        }
    }

    @Test
    void silentTransactionIsRolledBackItsLocksReleasedAndTheWaiterProceeds(EmbeddedMariaDb db) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (LogCapture logs = LogCapture.of(SessionWatchdog.class);
             ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1, "pool.queue_timeout", "30s",
                     "client.idle_in_transaction_timeout", "2s", "client.leak_warning_threshold", "1s"));
             Connection leaker = proxy.connect(); Connection waiter = proxy.connect()) {
            leaker.setAutoCommit(false);
            Sql.exec(leaker, "UPDATE accounts SET balance = 0, owner = 'mallory-secret' WHERE id = 1");

            long started = System.nanoTime();
            Future<Integer> update = thread.submit(() -> {
                try (Statement s = waiter.createStatement()) {
                    return s.executeUpdate("UPDATE accounts SET balance = balance + 1 WHERE id = 1");
                }
            });
            assertEquals(1, update.get(20, TimeUnit.SECONDS), "the waiting client's update ran");
            double waited = (System.nanoTime() - started) / 1e9;
            assertTrue(waited >= 1.5 && waited < 10, "served once the leaker was cut, after " + waited + " s");
            assertEquals("101", Sql.one(waiter, "SELECT balance FROM accounts WHERE id = 1"),
                    "the leaker's uncommitted update was rolled back");
            assertEquals("alice", Sql.one(waiter, "SELECT owner FROM accounts WHERE id = 1"));

            SQLException cut = assertThrows(SQLException.class, () -> Sql.one(leaker, "SELECT 1"));
            assertTrue(cut.getErrorCode() == 4031 && cut.getMessage().contains("idle_in_transaction_timeout")
                    || !leaker.isValid(1), "the leaker learns it was cut: " + cut);
            assertEquals(1, proxy.server().stats().idleInTransactionTimeouts());

            List<String> warnings = logs.messages().stream().filter(m -> m.startsWith("possible connection leak")).toList();
            assertEquals(1, warnings.size(), "logged once per hold: " + logs.messages());
            String warning = warnings.get(0);
            assertTrue(warning.contains("user app") && warning.contains("127.0.0.1")
                    && warning.contains("UPDATE accounts SET balance = ?, owner = ? WHERE id = ?"), warning);
            assertTrue(!warning.contains("mallory-secret"), "no statement values in the log: " + warning);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void clientWorkingInsideALongTransactionIsNotCut(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("client.idle_in_transaction_timeout", "1s"));
             Connection worker = proxy.connect()) {
            worker.setAutoCommit(false);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
            while (System.nanoTime() < until) {
                Sql.one(worker, "SELECT balance FROM accounts WHERE id = 1 FOR UPDATE");
                Thread.sleep(300);
            }
            worker.commit();
            assertEquals(0, proxy.server().stats().idleInTransactionTimeouts());
        }
    }
}
