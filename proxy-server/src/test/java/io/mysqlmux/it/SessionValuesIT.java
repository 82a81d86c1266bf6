package io.mysqlmux.it;

import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.Map;

import static io.mysqlmux.testing.Sql.exec;
import static io.mysqlmux.testing.Sql.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answers that depend on the previous statement's connection follow the client session, on a pool
 * of ONE server connection shared by interleaved sessions: LAST_INSERT_ID() in every spelling,
 * ROW_COUNT(), FOUND_ROWS(), CONNECTION_ID(); and KILL reaches the client it names, never another.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class SessionValuesIT {
    private static ProxyFixture proxy;

    @BeforeAll
    static void setUp(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE app.ids (id INT AUTO_INCREMENT PRIMARY KEY, who CHAR(1)) ENGINE=InnoDB");
            s.execute("CREATE OR REPLACE TABLE app.numbers (n INT PRIMARY KEY) ENGINE=InnoDB");
            s.execute("INSERT INTO app.numbers SELECT seq FROM seq_1_to_20");
        }
        proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1, "pool.queue_timeout", "30s"));
    }

    @AfterAll
    static void tearDown() {
        proxy.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT LAST_INSERT_ID()", "select last_insert_id() as id", "SELECT LAST_INSERT_ID() FROM DUAL",
            "/* orm */ SELECT Last_Insert_Id() + 0", "SELECT @@last_insert_id", "SELECT @@identity",
            "SELECT MAX(n) * 0 + LAST_INSERT_ID() FROM numbers"})
    void lastInsertIdIsTheSessionsOwnInEverySpelling(String spelling) throws SQLException {
        try (Connection a = proxy.connect(); Connection b = proxy.connect()) {
            exec(a, "INSERT INTO ids (who) VALUES ('a')");
            long aId = Long.parseLong(one(a, "SELECT MAX(id) FROM ids WHERE who = 'a'"));
            exec(b, "INSERT INTO ids (who) VALUES ('b'), ('b')");
            long bId = Long.parseLong(one(b, "SELECT MIN(id) FROM ids WHERE who = 'b' AND id > " + aId));
            assertEquals(aId, Long.parseLong(one(a, spelling)), "a: " + spelling);
            assertEquals(bId, Long.parseLong(one(b, spelling)), "b: " + spelling);
            try (Connection fresh = proxy.connect()) {
                assertEquals("0", one(fresh, spelling), "a new session has none");
            }
        }
    }

    @Test
    void generatedKeysAndLastInsertIdAgree() throws SQLException {
        try (Connection a = proxy.connect(); Connection b = proxy.connect(); Statement s = a.createStatement()) {
            s.executeUpdate("INSERT INTO ids (who) VALUES ('g')", Statement.RETURN_GENERATED_KEYS);
            long generated;
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                generated = keys.getLong(1);
            }
            exec(b, "INSERT INTO ids (who) VALUES ('h')");
            assertEquals(generated, Long.parseLong(one(a, "SELECT LAST_INSERT_ID()")));
        }
    }

    @Test
    void rowCountIsTheSessionsPreviousStatement() throws SQLException {
        try (Connection a = proxy.connect(); Connection b = proxy.connect()) {
            exec(a, "UPDATE numbers SET n = n WHERE n <= 5");
            exec(a, "UPDATE numbers SET n = n + 100 WHERE n <= 5");
            exec(b, "UPDATE numbers SET n = n + 100 WHERE n > 100 AND n <= 102");
            assertEquals("5", one(a, "SELECT ROW_COUNT()"));
            assertEquals("-1", one(a, "SELECT ROW_COUNT() AS after_a_select"), "after a SELECT, -1");
            exec(a, "UPDATE numbers SET n = n - 100 WHERE n > 100");
            exec(b, "DO 1");
            assertEquals("5", one(a, "select row_count()"));
        }
    }

    @Test
    void foundRowsWithAndWithoutSqlCalcFoundRows() throws SQLException {
        try (Connection a = proxy.connect(); Connection b = proxy.connect()) {
            try (Statement s = a.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT SQL_CALC_FOUND_ROWS n FROM numbers ORDER BY n LIMIT 3")) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                }
                assertEquals(3, rows);
            }
            assertEquals("20", one(a, "SELECT FOUND_ROWS()"), "the total, computed by the server that ran it");
            one(a, "SELECT n FROM numbers WHERE n <= 4 ORDER BY n DESC LIMIT 1");
            one(b, "SELECT COUNT(*) FROM numbers");
            assertEquals("1", one(a, "SELECT FOUND_ROWS() AS total"), "rows of a's last SELECT, not b's");
        }
    }

    @Test
    void connectionIdIsTheIdTheClientSawAtLogin() throws SQLException {
        try (Connection a = proxy.connect(); Connection b = proxy.connect()) {
            long aId = a.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getId();
            long bId = b.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getId();
            assertNotEquals(aId, bId);
            assertEquals(aId, Long.parseLong(one(a, "SELECT CONNECTION_ID()")));
            assertEquals(bId, Long.parseLong(one(b, "select connection_id() as me")));
            assertEquals(aId + 1, Long.parseLong(one(a, "SELECT CONNECTION_ID() + 1")));
            assertEquals("'c'", one(a, "SELECT QUOTE('c')"), "no rewrite outside the calls");
        }
    }

    @Test
    void queryTimeoutKillsOnlyTheStatementOfThatClient(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture two = ProxyFixture.start(db, Map.of("pool.max_size", 2));
             Connection slow = DriverManager.getConnection(two.mysqlUrl("app", ""), EmbeddedMariaDb.APP.user(),
                     EmbeddedMariaDb.APP.password());
             Connection other = DriverManager.getConnection(two.mysqlUrl("app", ""), EmbeddedMariaDb.APP.user(),
                     EmbeddedMariaDb.APP.password())) {
            other.setAutoCommit(false);
            exec(other, "SELECT COUNT(*) FROM numbers");
            long started = System.nanoTime();
            try (Statement s = slow.createStatement()) {
                s.setQueryTimeout(1);
                assertThrows(SQLTimeoutException.class, () -> s.executeQuery("SELECT SLEEP(30)"));
            }
            assertTrue(System.nanoTime() - started < 10_000_000_000L, "killed, not waited out");
            assertEquals("20", one(other, "SELECT COUNT(*) FROM numbers"), "the other client's session is untouched");
            assertEquals("1", one(slow, "SELECT 1"), "the killed client goes on");
            other.rollback();
        }
    }

    @Test
    void killNamesClientIdsAndOnlyTheSameUsers() throws Exception {
        try (Connection victim = proxy.connect(); Connection killer = proxy.connect();
             Connection stranger = DriverManager.getConnection(proxy.mysqlUrl("app", ""), EmbeddedMariaDb.OTHER.user(),
                     EmbeddedMariaDb.OTHER.password())) {
            long victimId = Long.parseLong(one(victim, "SELECT CONNECTION_ID()"));
            SQLException notOwner = assertThrows(SQLException.class, () -> exec(stranger, "KILL " + victimId));
            assertEquals(1095, notOwner.getErrorCode());
            SQLException unknown = assertThrows(SQLException.class, () -> exec(killer, "KILL 999999"));
            assertEquals(1094, unknown.getErrorCode());
            exec(killer, "KILL QUERY " + victimId);
            assertEquals("1", one(victim, "SELECT 1"), "KILL QUERY of an idle client kills nothing");
            exec(killer, "KILL " + victimId);
            assertThrows(SQLException.class, () -> one(victim, "SELECT 1"), "the killed connection is gone");
            assertEquals("1", one(killer, "SELECT 1"));
        }
    }
}
