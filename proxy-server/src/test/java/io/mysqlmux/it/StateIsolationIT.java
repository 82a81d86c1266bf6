package io.mysqlmux.it;

import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.Interleaving;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.Sql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Future;

import static io.mysqlmux.testing.Interleaving.assertStillWaiting;
import static io.mysqlmux.testing.Interleaving.finishes;
import static io.mysqlmux.testing.Sql.exec;
import static io.mysqlmux.testing.Sql.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two interleaved client sessions on a pool of exactly ONE server connection, so that any state one
 * leaves behind would show in the other: each must see only its own schema, character set, time
 * zone, sql_mode, autocommit mode and multi-statement setting.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class StateIsolationIT {
    private static ProxyFixture proxy;

    @BeforeAll
    static void setUp(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS other_db");
            s.execute("GRANT ALL ON other_db.* TO 'app'@'%'");
            s.execute("CREATE OR REPLACE TABLE app.short_text (v VARCHAR(3)) ENGINE=InnoDB");
            s.execute("CREATE OR REPLACE TABLE app.texts (id INT PRIMARY KEY, v VARCHAR(20)) DEFAULT CHARSET=utf8mb4");
            s.execute("CREATE OR REPLACE TABLE app.implicit (id INT PRIMARY KEY) ENGINE=InnoDB");
            s.execute("CREATE OR REPLACE TABLE app.loaded_rows (a INT, b VARCHAR(10))");
        }
        proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1, "pool.queue_timeout", "30s"));
    }

    @AfterAll
    static void tearDown() {
        proxy.close();
    }

    static Connection connect(String params) throws SQLException {
        return DriverManager.getConnection(proxy.mysqlUrl("app", params), EmbeddedMariaDb.APP.user(),
                EmbeddedMariaDb.APP.password());
    }

    @Test
    void schema() throws SQLException {
        try (Connection a = connect(""); Connection b = connect("")) {
            exec(a, "USE other_db");
            assertEquals("app", one(b, "SELECT DATABASE()"));
            assertEquals("other_db", one(a, "SELECT DATABASE()"));
            a.setCatalog("app");
            b.setCatalog("other_db");
            assertEquals("app", one(a, "SELECT DATABASE()"));
            assertEquals("other_db", one(b, "SELECT DATABASE()"));
        }
    }

    @Test
    void characterSetOfResultsRoundTrip(EmbeddedMariaDb db) throws SQLException {
        try (Connection utf8 = connect(""); Connection latin1 = connect("characterEncoding=ISO-8859-1");
             Connection direct = DriverManager.getConnection(db.mysqlJdbcUrl("app") + "?sslMode=DISABLED&characterEncoding=ISO-8859-1",
                     EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password())) {
            String charsets = "SELECT CONCAT_WS('/', @@character_set_client, @@character_set_connection,"
                    + " IFNULL(@@character_set_results, 'NULL'))";
            assertEquals(one(direct, charsets), one(latin1, charsets), "as a direct connection has them");
            assertEquals("utf8mb4/utf8mb4/utf8mb4", one(utf8, charsets).replace("/NULL", "/utf8mb4"));
            assertEquals("E9", one(latin1, "SELECT HEX(_binary'\u00e9')"), "latin1 sends \u00e9 as one byte");
            assertEquals("C3A9", one(utf8, "SELECT HEX(_binary'\u00e9')"), "utf8mb4 sends \u00e9 as two bytes");
            exec(utf8, "REPLACE INTO texts VALUES (1, '\u00e9\u4e2d')");
            assertEquals("\u00e9\u4e2d", one(utf8, "SELECT v FROM texts WHERE id = 1"));
            assertEquals("\u00e9", one(latin1, "SELECT LEFT(v, 1) FROM texts WHERE id = 1"));
            assertEquals(one(direct, charsets), one(latin1, charsets));
            assertEquals("\u00e9\u4e2d", one(utf8, "SELECT v FROM texts WHERE id = 1"));
        }
    }

    @Test
    void setNamesWithCollateKeepsTheCollation() throws SQLException {
        try (Connection a = connect(""); Connection b = connect("")) {
            exec(a, "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci");
            assertEquals("utf8mb4_general_ci", one(b, "SELECT @@collation_connection").replace("0900_ai", "general"),
                    "b keeps its own collation");
            assertEquals("utf8mb4_unicode_ci", one(a, "SELECT @@collation_connection"));
        }
    }

    @Test
    void timeZone() throws SQLException {
        try (Connection a = connect(""); Connection b = connect("")) {
            exec(a, "SET time_zone = '+09:00'");
            exec(b, "SET time_zone = '-05:00'");
            assertEquals("09:00:00", one(a, "SELECT TIMEDIFF(NOW(), UTC_TIMESTAMP())"));
            assertEquals("-05:00:00", one(b, "SELECT TIMEDIFF(NOW(), UTC_TIMESTAMP())"));
            assertEquals("+09:00", one(a, "SELECT @@time_zone"));
        }
    }

    @Test
    void sqlMode() throws SQLException {
        try (Connection strict = connect(""); Connection lax = connect("jdbcCompliantTruncation=false")) {
            exec(strict, "SET sql_mode = 'STRICT_ALL_TABLES'");
            exec(lax, "SET sql_mode = ''");
            SQLException tooLong = assertThrows(SQLException.class,
                    () -> exec(strict, "INSERT INTO short_text VALUES ('abcdef')"));
            assertEquals(1406, tooLong.getErrorCode());
            exec(lax, "INSERT INTO short_text VALUES ('abcdef')");
            assertEquals("abc", one(lax, "SELECT v FROM short_text LIMIT 1"));
            assertEquals("STRICT_ALL_TABLES", one(strict, "SELECT @@sql_mode"));
        }
    }

    @Test
    void autocommitOffHoldsTheConnectionUntilCommit() throws Exception {
        try (Connection a = connect(""); Connection b = connect(""); Interleaving other = new Interleaving()) {
            a.setAutoCommit(false);
            exec(a, "DELETE FROM implicit");
            exec(a, "INSERT INTO implicit VALUES (1)");
            Future<String> seen = other.start(() -> one(b, "SELECT COUNT(*) FROM implicit"));
            assertStillWaiting(seen, 500);
            a.commit();
            assertEquals("1", finishes(seen), "b ran after a's transaction, and saw it committed");
            assertEquals("1", one(b, "SELECT @@autocommit"));
            assertEquals("0", one(a, "SELECT @@autocommit"));
            a.rollback();
        }
    }

    @Test
    void foundRowsOrAffectedRowsAsEachClientNegotiated() throws SQLException {
        try (Connection found = connect(""); Connection affected = connect("useAffectedRows=true")) {
            exec(found, "REPLACE INTO texts VALUES (2, 'same')");
            try (Statement s = found.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE texts SET v = 'same' WHERE id = 2"), "rows matched");
            }
            try (Statement s = affected.createStatement()) {
                assertEquals(0, s.executeUpdate("UPDATE texts SET v = 'same' WHERE id = 2"), "rows changed");
            }
            try (Statement s = found.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE texts SET v = 'same' WHERE id = 2"));
            }
        }
    }

    @Test
    void multiStatementsOnlyForTheClientThatAllowedThem() throws SQLException {
        try (Connection multi = connect("allowMultiQueries=true"); Connection single = connect("")) {
            try (Statement s = multi.createStatement()) {
                assertTrue(s.execute("SELECT 1; SELECT 2"));
                assertTrue(s.getMoreResults());
                try (ResultSet rs = s.getResultSet()) {
                    rs.next();
                    assertEquals(2, rs.getInt(1));
                }
            }
            SQLException refused = assertThrows(SQLException.class, () -> exec(single, "SELECT 1; SELECT 2"));
            assertEquals(1064, refused.getErrorCode());
            try (Statement s = multi.createStatement()) {
                assertTrue(s.execute("SELECT 3; SELECT 4"));
            }
        }
    }

    @Test
    void loadDataLocalInfileOnTheSharedConnection() throws SQLException {
        try (Connection mysql = connect("allowLoadLocalInfile=true");
             Connection mariadb = DriverManager.getConnection(proxy.mariadbUrl("app", "allowLocalInfile=true"),
                     EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password());
             Connection refused = connect("")) {
            exec(mysql, "DELETE FROM loaded_rows");
            try (Statement s = mysql.createStatement()) {
                s.unwrap(com.mysql.cj.jdbc.JdbcStatement.class).setLocalInfileInputStream(
                        new ByteArrayInputStream("1,one\n2,two\n".getBytes(StandardCharsets.US_ASCII)));
                assertEquals(2, s.executeUpdate("LOAD DATA LOCAL INFILE 'x.csv' INTO TABLE loaded_rows FIELDS TERMINATED BY ','"));
            }
            try (Statement s = mariadb.createStatement()) {
                s.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(
                        new ByteArrayInputStream("3,three\n".getBytes(StandardCharsets.US_ASCII)));
                assertEquals(1, s.executeUpdate("LOAD DATA LOCAL INFILE 'y.csv' INTO TABLE loaded_rows FIELDS TERMINATED BY ','"));
            }
            SQLException notAllowed = assertThrows(SQLException.class,
                    () -> exec(refused, "LOAD DATA LOCAL INFILE 'z.csv' INTO TABLE loaded_rows"));
            assertTrue(notAllowed.getErrorCode() == 1148 || notAllowed.getMessage().contains("not allowed"),
                    notAllowed.toString());
            assertEquals("3", one(refused, "SELECT COUNT(*) FROM loaded_rows"));
        }
    }

    @Test
    void connectorJStartUpWithDefaultsAndWithCachedServerConfiguration() throws SQLException {
        for (String params : new String[] {"", "cacheServerConfiguration=true", "cacheServerConfiguration=true",
                "useLocalSessionState=true&elideSetAutoCommits=true", "trackSessionState=true"}) {
            try (Connection c = connect(params)) {
                assertEquals("1", one(c, "SELECT @@session.auto_increment_increment"));
                assertTrue(c.isValid(5));
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                assertEquals("READ-COMMITTED", one(c, "SELECT @@transaction_isolation"));
                c.commit();
                c.setAutoCommit(true);
            }
        }
        try (Connection fresh = connect("")) {
            assertEquals("REPEATABLE-READ", one(fresh, "SELECT @@transaction_isolation"),
                    "an earlier client's isolation level does not carry over");
        }
    }
}
