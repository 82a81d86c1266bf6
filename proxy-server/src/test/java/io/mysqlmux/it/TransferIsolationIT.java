package io.mysqlmux.it;

import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 200 JDBC clients each run 50 money transfers (SELECT ... FOR UPDATE, two UPDATEs, a log row,
 * COMMIT; every fifth one ROLLBACK) over a pool of 4 server connections. Transactions must stay
 * whole on one server connection: the money adds up, every committed transfer is logged exactly
 * once and no rolled-back one at all.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class TransferIsolationIT {
    private static final int CLIENTS = 200;
    private static final int TRANSFERS = 50;
    private static final int ACCOUNTS = 50;
    private static final long START_BALANCE = 1_000_000;

    @Test
    void concurrentTransfersOverFourServerConnectionsKeepEveryTransactionWhole(EmbeddedMariaDb db) throws Exception {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("DROP TABLE IF EXISTS app.accounts, app.transfers");
            s.execute("CREATE TABLE app.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL) ENGINE=InnoDB");
            s.execute("CREATE TABLE app.transfers (client INT, n INT, from_id INT, to_id INT, amount INT,"
                    + " PRIMARY KEY (client, n)) ENGINE=InnoDB");
            s.execute("INSERT INTO app.accounts SELECT seq, " + START_BALANCE + " FROM seq_1_to_" + ACCOUNTS);
        }
        Set<String> committed = ConcurrentHashMap.newKeySet();
        Set<String> rolledBack = ConcurrentHashMap.newKeySet();
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 4, "pool.queue_timeout", "60s"))) {
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int id = client;
                done.add(clients.submit(() -> {
                    runClient(proxy, id, committed, rolledBack);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            clients.shutdown();
            assertTrue(proxy.server().pools().all().stream().allMatch(p -> p.counts().size() <= 4));
        }
        assertEquals(CLIENTS * TRANSFERS, committed.size() + rolledBack.size());
        assertTrue(rolledBack.size() >= CLIENTS * TRANSFERS / 5, "every fifth transfer rolls back");
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT SUM(balance), COUNT(*) FROM app.accounts")) {
                rs.next();
                assertEquals(START_BALANCE * ACCOUNTS, rs.getLong(1), "money is neither created nor lost");
            }
            Set<String> logged = new HashSet<>();
            try (ResultSet rs = s.executeQuery("SELECT client, n FROM app.transfers")) {
                while (rs.next()) {
                    logged.add(rs.getInt(1) + "/" + rs.getInt(2));
                }
            }
            assertEquals(committed, logged, "exactly the committed transfers are logged");
        }
    }

    private static void runClient(ProxyFixture proxy, int client, Set<String> committed, Set<String> rolledBack)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(proxy.mysqlUrl("app", ""), EmbeddedMariaDb.APP.user(),
                EmbeddedMariaDb.APP.password())) {
            c.setAutoCommit(false);
            for (int n = 0; n < TRANSFERS; n++) {
                String key = client + "/" + n;
                if (transfer(c, client, n, n % 5 == 4)) {
                    committed.add(key);
                } else {
                    rolledBack.add(key);
                }
            }
        }
    }

    /** Returns true if the transfer committed. */
    private static boolean transfer(Connection c, int client, int n, boolean rollback) throws SQLException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = random.nextInt(1, ACCOUNTS + 1);
        int to = from % ACCOUNTS + 1;
        int amount = random.nextInt(1, 100);
        try {
            try (PreparedStatement lock = c.prepareStatement(
                    "SELECT id, balance FROM accounts WHERE id IN (?, ?) ORDER BY id FOR UPDATE")) {
                lock.setInt(1, from);
                lock.setInt(2, to);
                try (ResultSet rs = lock.executeQuery()) {
                    int rows = 0;
                    while (rs.next()) {
                        rows++;
                    }
                    assertEquals(2, rows);
                }
            }
            update(c, from, -amount);
            update(c, to, amount);
            try (PreparedStatement log = c.prepareStatement("INSERT INTO transfers VALUES (?, ?, ?, ?, ?)")) {
                log.setInt(1, client);
                log.setInt(2, n);
                log.setInt(3, from);
                log.setInt(4, to);
                log.setInt(5, amount);
                log.executeUpdate();
            }
            if (rollback) {
                c.rollback();
                return false;
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1213) {
                c.rollback();
                return false;
            }
            throw e;
        }
    }

    private static void update(Connection c, int id, int delta) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?")) {
            update.setInt(1, delta);
            update.setInt(2, id);
            assertEquals(1, update.executeUpdate());
        }
    }
}
