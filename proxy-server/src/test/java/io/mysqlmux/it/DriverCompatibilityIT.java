package io.mysqlmux.it;

import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mysql-connector-j and MariaDB Connector/J, with default settings (client-side prepared
 * statements), through the proxy: DDL, DML, queries, stored procedures with several result sets,
 * and the errors a direct connection would give.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class DriverCompatibilityIT {
    private static ProxyFixture proxy;

    @BeforeAll
    static void startProxy(EmbeddedMariaDb db) {
        proxy = ProxyFixture.start(db, Map.of("pool.max_size", 2));
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    private static Connection connect(String driver, String params) throws SQLException {
        String url = driver.equals("mysql") ? proxy.mysqlUrl("app", params) : proxy.mariadbUrl("app", params);
        return DriverManager.getConnection(url, EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void ddlDmlAndQueriesGiveTheServersResults(String driver) throws SQLException {
        String table = "compat_" + driver;
        try (Connection c = connect(driver, "");
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("CREATE TABLE " + table + " (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50),"
                    + " price DECIMAL(10,2), note TEXT NULL, created DATETIME(6)) DEFAULT CHARSET=utf8mb4");
            assertEquals(1, s.executeUpdate("INSERT INTO " + table + " (name, price, created) VALUES"
                    + " ('apple', 1.25, '2026-01-02 03:04:05.123456')", Statement.RETURN_GENERATED_KEYS));
            try (ResultSet keys = s.getGeneratedKeys()) {
                assertTrue(keys.next());
                assertEquals(1, keys.getInt(1));
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (name, price, note) VALUES (?, ?, ?)")) {
                for (int i = 0; i < 20; i++) {
                    insert.setString(1, "item-" + i + "-'quoted'-\u00e9\u4e2d");
                    insert.setBigDecimal(2, new java.math.BigDecimal(i + ".50"));
                    insert.setString(3, i % 2 == 0 ? null : "odd");
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                assertEquals(20, counts.length);
            }
            assertEquals(10, s.executeUpdate("UPDATE " + table + " SET note = 'even' WHERE note IS NULL AND id > 1"));
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(price), MAX(name) FROM " + table)) {
                assertTrue(rs.next());
                assertEquals(21, rs.getInt(1));
                assertEquals(new java.math.BigDecimal("201.25"), rs.getBigDecimal(2));
            }
            try (ResultSet rs = s.executeQuery("SELECT name, note, created FROM " + table + " WHERE id = 1")) {
                assertTrue(rs.next());
                assertEquals("apple", rs.getString(1));
                assertNull(rs.getString(2));
                assertEquals("2026-01-02 03:04:05.123456", rs.getTimestamp(3).toString());
                assertFalse(rs.next());
            }
            try (ResultSet rs = s.executeQuery("SELECT name FROM " + table + " WHERE id = 3")) {
                assertTrue(rs.next());
                assertEquals("item-1-'quoted'-\u00e9\u4e2d", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE id < 0")) {
                assertFalse(rs.next());
                assertEquals(5, rs.getMetaData().getColumnCount());
            }
            s.execute("DROP TABLE " + table);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void storedProcedureWithSeveralResultSets(String driver) throws SQLException {
        String procedure = "two_results_" + driver;
        try (Connection c = connect(driver, "")) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP PROCEDURE IF EXISTS " + procedure);
                s.execute("CREATE PROCEDURE " + procedure + "(IN n INT) BEGIN"
                        + " SELECT n AS first;"
                        + " SELECT seq AS second FROM seq_1_to_3;"
                        + " END");
            }
            List<List<Integer>> results = new ArrayList<>();
            try (CallableStatement call = c.prepareCall("{CALL " + procedure + "(?)}")) {
                call.setInt(1, 42);
                boolean isResultSet = call.execute();
                while (isResultSet || call.getUpdateCount() != -1) {
                    if (isResultSet) {
                        List<Integer> values = new ArrayList<>();
                        try (ResultSet rs = call.getResultSet()) {
                            while (rs.next()) {
                                values.add(rs.getInt(1));
                            }
                        }
                        results.add(values);
                    }
                    isResultSet = call.getMoreResults();
                }
            }
            assertEquals(List.of(List.of(42), List.of(1, 2, 3)), results);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 'after the call'")) {
                assertTrue(rs.next());
                assertEquals("after the call", rs.getString(1));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void syntaxErrorIsTheServersAndConnectionStaysUsable(String driver) throws SQLException {
        try (Connection c = connect(driver, ""); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.execute("SELEKT 1"));
            assertEquals(1064, e.getErrorCode());
            assertEquals("42000", e.getSQLState());
            SQLException missing = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM no_such_table"));
            assertEquals(1146, missing.getErrorCode());
            try (ResultSet rs = s.executeQuery("SELECT 7")) {
                assertTrue(rs.next());
                assertEquals(7, rs.getInt(1));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void wrongPasswordIsAccessDenied(String driver) {
        String url = driver.equals("mysql") ? proxy.mysqlUrl("app", "") : proxy.mariadbUrl("app", "");
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(url, EmbeddedMariaDb.APP.user(), "wrong-password").close());
        assertEquals(1045, e.getErrorCode());
        assertEquals("28000", e.getSQLState());
        SQLException unknown = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(url, "nobody", "x").close());
        assertEquals(1045, unknown.getErrorCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void unknownDatabaseFailsAtLogin(String driver) {
        String url = driver.equals("mysql") ? proxy.mysqlUrl("no_such_db", "") : proxy.mariadbUrl("no_such_db", "");
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(url, EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password()).close());
        assertEquals(1049, e.getErrorCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void unsupportedCommandsAreRefusedWithoutBreakingTheConnection(String driver) throws SQLException {
        try (Connection c = connect(driver, "useServerPrepStmts=true")) {
            // Server-side prepare is refused with 1295; both drivers then emulate the statement.
            try (PreparedStatement ps = c.prepareStatement("SELECT ? + 1")) {
                ps.setInt(1, 41);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(42, rs.getInt(1));
                }
            } catch (SQLException e) {
                assertEquals(1295, e.getErrorCode(), "only the documented refusal is acceptable: " + e);
            }
            assertTrue(c.isValid(5));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
        }
    }
}
