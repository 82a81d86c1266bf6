package io.mysqlmux.it;

import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client cut off while it holds a server connection must not leave anything behind for the next
 * client of that connection. The pool has one server connection, so the next client gets the same.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class DisconnectInTransactionIT {
    private static ProxyFixture proxy;

    @BeforeAll
    static void setUp(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("DROP TABLE IF EXISTS app.locked");
            s.execute("CREATE TABLE app.locked (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
            s.execute("INSERT INTO app.locked VALUES (1, 10), (2, 20)");
        }
        proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1));
    }

    @AfterAll
    static void tearDown() {
        proxy.close();
    }

    @Test
    void clientCutMidTransactionLeavesBackendClean() throws Exception {
        Connection leaver = proxy.connect();
        leaver.setAutoCommit(false);
        try (Statement s = leaver.createStatement()) {
            s.executeQuery("SELECT v FROM locked WHERE id = 1 FOR UPDATE").close();
            s.executeUpdate("UPDATE locked SET v = 999 WHERE id = 2");
        }
        Set<Long> serverThreads = serverThreads();
        assertEquals(1, serverThreads.size(), "the pool has one server connection");
        leaver.abort(Executors.newSingleThreadExecutor());

        try (Connection next = proxy.connect(); Statement s = next.createStatement()) {
            assertTrue(s.executeQuery("SELECT 1").next());
            assertEquals(serverThreads, serverThreads(), "the pool's only server connection is reused");
            s.execute("SET SESSION innodb_lock_wait_timeout = 3");
            try (ResultSet rs = s.executeQuery("SELECT @@in_transaction")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "no transaction is left open");
            }
            next.setAutoCommit(false);
            try (ResultSet rs = s.executeQuery("SELECT v FROM locked WHERE id = 1 FOR UPDATE")) {
                assertTrue(rs.next(), "the row lock was released (no lock wait timeout)");
                assertEquals(10, rs.getInt(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT v FROM locked WHERE id = 2")) {
                rs.next();
                assertEquals(20, rs.getInt(1), "the departed client's update was rolled back");
            }
            next.rollback();
        }
    }

    @Test
    void clientCutWhilePinnedLeavesNoSessionStateBehind() throws Exception {
        Connection leaver = proxy.connect();
        try (Statement s = leaver.createStatement()) {
            s.execute("SET @secret = 'from the departed client'");
            s.execute("CREATE TEMPORARY TABLE scratch (x INT)");
        }
        leaver.abort(Executors.newSingleThreadExecutor());

        try (Connection next = proxy.connect(); Statement s = next.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT @secret")) {
                rs.next();
                assertNull(rs.getString(1), "user variables do not survive the client");
            }
            SQLException gone = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM scratch"));
            assertEquals(1146, gone.getErrorCode(), "temporary tables do not survive the client");
            try (ResultSet rs = s.executeQuery("SELECT @@session_track_system_variables")) {
                rs.next();
                assertEquals("*", rs.getString(1), "the proxy's session tracking is back on after the reset");
            }
            assertFalse(next.isClosed());
        }
    }

    /** The server's ids of the proxy's server connections (CONNECTION_ID() through the proxy is the client's). */
    private static Set<Long> serverThreads() {
        return proxy.server().pools().all().stream().filter(p -> p.key().user().equals("app"))
                .flatMap(p -> p.connections().stream())
                .map(c -> c.connection().serverThreadId()).collect(Collectors.toSet());
    }
}
