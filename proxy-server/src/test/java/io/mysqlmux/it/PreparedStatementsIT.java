package io.mysqlmux.it;

import io.mysqlmux.proxy.pool.BackendPool;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.PeakSampler;
import io.mysqlmux.testing.ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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

import static io.mysqlmux.testing.Sql.exec;
import static io.mysqlmux.testing.Sql.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-side prepared statements (binary protocol) through a pool of 4 server connections that keep
 * at most 8 statements each: many clients executing many statements get right results without
 * pinning, and the server never holds more statements than the caps allow.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class PreparedStatementsIT {
    static final int POOL = 4;
    static final int CAP = 8;
    private static final int STATEMENTS = 10;
    private static ProxyFixture proxy;

    @BeforeAll
    static void setUp(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE ps_items (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(12,2),"
                    + " qty INT) ENGINE=InnoDB");
            s.execute("INSERT INTO ps_items SELECT seq, CONCAT('item-', seq), seq / 4, seq % 7 FROM seq_1_to_1000");
        }
        proxy = ProxyFixture.start(db, Map.of("pool.max_size", POOL, "pool.queue_timeout", "60s",
                "pool.prepared_statements_per_connection", CAP));
    }

    @AfterAll
    static void tearDown() {
        proxy.close();
    }

    static Connection connect(String driver, String params) throws SQLException {
        String url = driver.equals("mysql") ? proxy.mysqlUrl("app", "useServerPrepStmts=true&cachePrepStmts=true&" + params)
                : proxy.mariadbUrl("app", "useServerPrepStmts=true&" + params);
        return DriverManager.getConnection(url, EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password());
    }

    private static BackendPool appPool() {
        return proxy.server().pools().all().stream().filter(p -> p.key().user().equals("app") && p.key().shape().foundRows())
                .findFirst().orElseThrow();
    }

    /** Ten different statement texts, each with a check of its own result. */
    private static String statement(int n) {
        return switch (n % 5) {
            case 0 -> "SELECT name FROM ps_items WHERE id = ? /* s" + n + " */";
            case 1 -> "SELECT CONCAT('item-', id) FROM ps_items WHERE id = ? AND price >= 0 /* s" + n + " */";
            case 2 -> "SELECT name FROM ps_items WHERE id IN (?, -1) /* s" + n + " */";
            case 3 -> "SELECT CONCAT(name, '') FROM ps_items WHERE id = ? ORDER BY id /* s" + n + " */";
            default -> "SELECT MAX(name) FROM ps_items WHERE id = ? GROUP BY id /* s" + n + " */";
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void hundredClientsExecuteTenStatementsFiveHundredTimesEach(String driver, EmbeddedMariaDb db) throws Exception {
        long pinsBefore = permanentPins();
        try (PeakSampler prepared = PeakSampler.start(db, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                + " WHERE VARIABLE_NAME = 'PREPARED_STMT_COUNT'")) {
            ExecutorService clients = Executors.newFixedThreadPool(100);
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < 100; c++) {
                int client = c;
                done.add(clients.submit(() -> runClient(driver, client)));
            }
            int correct = 0;
            for (Future<Integer> f : done) {
                correct += f.get(5, TimeUnit.MINUTES);
            }
            clients.shutdown();
            assertEquals(100 * 500, correct);
            long serverStatements = prepared.peak();
            System.out.printf("PreparedStatementsIT[%s]: 50,000 executions, server Prepared_stmt_count peak %d"
                    + " (cap %d x %d connections), re-prepares %d, evictions %d%n", driver, serverStatements, CAP, POOL,
                    appPool().statistics().reprepares(), appPool().statistics().evictions());
            assertTrue(serverStatements <= (long) CAP * POOL, "server held " + serverStatements + " statements");
        }
        assertEquals(pinsBefore, permanentPins(), "prepared statements pinned no session");
        assertTrue(appPool().statistics().evictions() > 0, "10 statements on connections that keep 8 evict");
    }

    private static int runClient(String driver, int client) throws SQLException {
        int correct = 0;
        try (Connection c = connect(driver, "")) {
            List<PreparedStatement> statements = new ArrayList<>();
            for (int n = 0; n < STATEMENTS; n++) {
                statements.add(c.prepareStatement(statement(n)));
            }
            for (int i = 0; i < 500; i++) {
                int id = 1 + (client * 500 + i) % 1000;
                PreparedStatement ps = statements.get((client + i) % STATEMENTS);
                ps.setInt(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(1).equals("item-" + id) && !rs.next()) {
                        correct++;
                    }
                }
            }
            for (PreparedStatement ps : statements) {
                ps.close();
            }
        }
        return correct;
    }

    private static long permanentPins() {
        return proxy.server().sessions().pinsSinceStart().entrySet().stream().filter(e -> e.getKey().isPermanent())
                .mapToLong(Map.Entry::getValue).sum();
    }

    @Test
    void closedStatementPreparedAgainAndExecutedAfterItsServerConnectionDied(EmbeddedMariaDb db) throws Exception {
        try (Connection c = connect("mysql", "cachePrepStmts=false")) {
            String sql = "SELECT name FROM ps_items WHERE id = ? /* reborn */";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, 7);
                assertEquals("item-7", first(ps));
            }
            try (PreparedStatement again = c.prepareStatement(sql)) {
                again.setInt(1, 8);
                assertEquals("item-8", first(again));
                killServerConnections(db);
                again.setInt(1, 9);
                assertEquals("item-9", first(again), "prepared again on a new server connection");
            }
        }
    }

    private static void killServerConnections(EmbeddedMariaDb db) throws Exception {
        BackendPool pool = appPool();
        long before = pool.counts().closed();
        int killed = 0;
        try (Connection root = db.rootConnection(); Statement s = root.createStatement();
             ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'app'")) {
            List<Long> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
            for (long id : ids) {
                exec(root, "KILL " + id);
                killed++;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.counts().closed() < before + killed && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(killed > 0 && pool.counts().closed() >= before + killed, "the proxy saw its connections die");
    }

    static String first(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    @Test
    void prepareAnswersComeFromThePoolsCacheOnceKnown() throws SQLException {
        try (Connection a = connect("mysql", "cachePrepStmts=false"); Connection b = connect("mariadb", "")) {
            long reprepares = appPool().statistics().reprepares();
            for (int i = 0; i < 20; i++) {
                try (PreparedStatement ps = a.prepareStatement("SELECT qty FROM ps_items WHERE id = ? /* go-style */")) {
                    ps.setInt(1, 10 + i);
                    assertEquals(String.valueOf((10 + i) % 7), first(ps));
                }
            }
            try (PreparedStatement ps = b.prepareStatement("SELECT qty FROM ps_items WHERE id = ? /* go-style */")) {
                ps.setInt(1, 3);
                assertEquals("3", first(ps));
            }
            assertTrue(appPool().statistics().reprepares() - reprepares <= POOL,
                    "prepare/execute/close per query prepares once per server connection at most");
            assertEquals("1", one(a, "SELECT 1"));
        }
    }
}
