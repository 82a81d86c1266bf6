package io.mysqlmux.testing;

import static io.mysqlmux.testing.EmbeddedMariaDb.APP;
import static io.mysqlmux.testing.EmbeddedMariaDb.APP_DATABASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test backend itself: real accounts, real password checks, both drivers, direct to the server. */
@ExtendWith(EmbeddedMariaDbExtension.class)
class EmbeddedMariaDbIT {

    private static final int ER_ACCESS_DENIED_ERROR = 1045;

    @Test
    void appLogsInWithPasswordThroughMysqlConnectorJ(EmbeddedMariaDb server) throws SQLException {
        // No TLS, so the login is the plain mysql_native_password exchange the proxy will do.
        Properties props = EmbeddedMariaDb.properties(APP.user(), APP.password());
        props.setProperty("sslMode", "DISABLED");
        try (Connection c = DriverManager.getConnection(server.mysqlJdbcUrl(APP_DATABASE), props)) {
            assertEquals("app@%", queryString(c, "SELECT CURRENT_USER()"));
            assertEquals(APP_DATABASE, queryString(c, "SELECT DATABASE()"));
        }
    }

    @Test
    void appLogsInWithPasswordThroughMariaDbConnectorJ(EmbeddedMariaDb server) throws SQLException {
        try (Connection c = server.connection(APP, APP_DATABASE)) {
            assertEquals("app@%", queryString(c, "SELECT CURRENT_USER()"));
            assertEquals(APP_DATABASE, queryString(c, "SELECT DATABASE()"));
        }
    }

    @Test
    void wrongPasswordIsRefusedWith1045ForBothDrivers(EmbeddedMariaDb server) {
        Properties props = EmbeddedMariaDb.properties(APP.user(), "not-" + APP.password());
        props.setProperty("sslMode", "DISABLED");
        SQLException mysql = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(server.mysqlJdbcUrl(""), props).close());
        assertEquals(ER_ACCESS_DENIED_ERROR, mysql.getErrorCode(), mysql.toString());
        assertEquals("28000", mysql.getSQLState());

        SQLException mariadb = assertThrows(SQLException.class,
                () -> server.connection(new EmbeddedMariaDb.Account(APP.user(), "wrong"), "").close());
        assertEquals(ER_ACCESS_DENIED_ERROR, mariadb.getErrorCode(), mariadb.toString());
    }

    @Test
    void accountsUseNativePasswordAndServerHasTheConfiguredLimits(EmbeddedMariaDb server)
            throws SQLException {
        try (Connection c = server.rootConnection()) {
            assertEquals("mysql_native_password", queryString(c,
                    "SELECT plugin FROM mysql.user WHERE user = 'app' AND host = '%'"));
            assertEquals("200", queryString(c, "SELECT @@max_connections"));
            assertEquals("1", queryString(c, "SELECT @@local_infile"));
            assertEquals(String.valueOf(64 * 1024 * 1024), queryString(c, "SELECT @@max_allowed_packet"));
        }
        assertTrue(server.version().startsWith("11.4.5"), server.version());
    }

    @Test
    void secondServerWithOtherSettingsRunsBesideTheShared(EmbeddedMariaDb shared) throws SQLException {
        var options = EmbeddedMariaDb.Options.defaults().withMaxConnections(50);
        try (EmbeddedMariaDb small = EmbeddedMariaDb.start(options);
                Connection c = small.connection(APP, APP_DATABASE)) {
            assertNotEquals(shared.port(), small.port());
            assertEquals("50", queryString(c, "SELECT @@max_connections"));
        }
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }
}
