package io.mysqlmux.it;

import io.mysqlmux.proxy.session.PinReason;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.Interleaving;
import io.mysqlmux.testing.ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Future;

import static io.mysqlmux.testing.Interleaving.assertStillWaiting;
import static io.mysqlmux.testing.Interleaving.finishes;
import static io.mysqlmux.testing.Sql.exec;
import static io.mysqlmux.testing.Sql.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State that cannot move to another server connection keeps the session on its own, with the reason
 * recorded, until it is gone; on a pool of ONE connection the other session waits meanwhile and then
 * finds nothing of it. Holds end as soon as the server reports the state gone (COMMIT, UNLOCK
 * TABLES); pins end with the session, COM_RESET_CONNECTION or COM_CHANGE_USER.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class PinningIT {
    private static ProxyFixture proxy;

    @BeforeAll
    static void setUp(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE app.pinned (id INT PRIMARY KEY) ENGINE=InnoDB");
        }
        proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1, "pool.queue_timeout", "30s"));
    }

    @AfterAll
    static void tearDown() {
        proxy.close();
    }

    private static Connection connect() throws SQLException {
        return proxy.connect();
    }

    private static long pins(PinReason reason) {
        return proxy.server().sessions().pinsSinceStart().get(reason);
    }

    /** a pins itself with {@code pinning}; b waits until a leaves, then sees {@code check} as a fresh session would. */
    private static void pinnedUntilDisconnect(String pinning, PinReason reason, String check, String fresh)
            throws Exception {
        long before = pins(reason);
        try (Connection b = connect(); Interleaving other = new Interleaving()) {
            Connection a = connect();
            exec(a, pinning);
            assertEquals(before + 1, pins(reason), "pinned for " + reason);
            assertEquals(1L, proxy.server().sessions().pinnedNow().get(reason));
            Future<String> seen = other.start(() -> one(b, check));
            assertStillWaiting(seen, 400);
            a.close();
            assertEquals(fresh, finishes(seen));
        }
    }

    @Test
    void userVariableStaysWithItsSession() throws Exception {
        pinnedUntilDisconnect("SET @secret = 42", PinReason.USER_VARIABLE, "SELECT IFNULL(@secret, 'none')", "none");
    }

    @Test
    void userVariableHiddenBesideASystemVariable() throws Exception {
        pinnedUntilDisconnect("SET @hidden = 1, time_zone = '+01:00'", PinReason.USER_VARIABLE,
                "SELECT CONCAT(IFNULL(@hidden, 'none'), @@time_zone)", "noneSYSTEM");
    }

    @Test
    void userVariableFromSelectInto() throws Exception {
        pinnedUntilDisconnect("SELECT 7 INTO @seven", PinReason.USER_VARIABLE, "SELECT IFNULL(@seven, 'none')", "none");
    }

    @Test
    void temporaryTable() throws Exception {
        pinnedUntilDisconnect("CREATE TEMPORARY TABLE scratch (x INT)", PinReason.TEMPORARY_TABLE,
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = 'scratch'", "0");
    }

    @Test
    void namedLock() throws Exception {
        pinnedUntilDisconnect("DO GET_LOCK('job', 0)", PinReason.NAMED_LOCK, "SELECT IS_FREE_LOCK('job')", "1");
    }

    @Test
    void sqlPrepare() throws Exception {
        pinnedUntilDisconnect("PREPARE stmt FROM 'SELECT 1'", PinReason.SQL_PREPARE,
                "SELECT @@session.time_zone", "SYSTEM");
    }

    @Test
    void lockTablesHoldsUntilUnlock() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Interleaving other = new Interleaving()) {
            exec(a, "LOCK TABLES pinned WRITE");
            Future<String> seen = other.start(() -> one(b, "SELECT COUNT(*) FROM pinned"));
            assertStillWaiting(seen, 400);
            exec(a, "UNLOCK TABLES");
            assertEquals("0", finishes(seen), "released as soon as the server reported the tables unlocked");
        }
    }

    @Test
    void setTransactionThenStartTransactionAsTwoCommands() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Interleaving other = new Interleaving()) {
            exec(a, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
            Future<String> seen = other.start(() -> one(b, "SELECT COUNT(*) FROM pinned"));
            assertStillWaiting(seen, 400);
            exec(a, "START TRANSACTION");
            exec(a, "SELECT COUNT(*) FROM pinned");
            assertEquals("SERIALIZABLE", one(a, "SELECT trx_isolation_level FROM information_schema.INNODB_TRX"
                    + " WHERE trx_mysql_thread_id = @@pseudo_thread_id"), "the one-shot applied to a's transaction");
            assertStillWaiting(seen, 200);
            exec(a, "COMMIT");
            assertEquals("0", finishes(seen));
            assertEquals("REPEATABLE-READ", one(b, "SELECT @@transaction_isolation"));
        }
    }

    @Test
    void xaTransactionHoldsUntilCommit() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Interleaving other = new Interleaving()) {
            exec(a, "XA START 'x1'");
            exec(a, "INSERT INTO pinned VALUES (100)");
            exec(a, "XA END 'x1'");
            Future<String> seen = other.start(() -> one(b, "SELECT COUNT(*) FROM pinned WHERE id = 100"));
            exec(a, "XA PREPARE 'x1'");
            assertStillWaiting(seen, 400);
            exec(a, "XA COMMIT 'x1'");
            assertEquals("1", finishes(seen));
            exec(a, "DELETE FROM pinned WHERE id = 100");
        }
    }

    @Test
    void resetConnectionUnpinsAndForgets() throws Exception {
        // MariaDB Connector/J sends COM_RESET_CONNECTION from reset() only with useResetConnection.
        try (Connection a = DriverManager.getConnection(proxy.mariadbUrl("app", "useResetConnection=true"),
                EmbeddedMariaDb.APP.user(),
                EmbeddedMariaDb.APP.password()); Connection b = connect(); Interleaving other = new Interleaving()) {
            exec(a, "SET @mine = 'a'");
            Future<String> seen = other.start(() -> one(b, "SELECT IFNULL(@mine, 'none')"));
            assertStillWaiting(seen, 400);
            a.unwrap(org.mariadb.jdbc.Connection.class).reset();
            assertEquals("none", finishes(seen), "unpinned by COM_RESET_CONNECTION, and nothing left behind");
            assertNull(one(a, "SELECT @mine"));
            assertEquals("app", one(a, "SELECT DATABASE()"));
        }
    }

    @Test
    void changeUserToAnotherConfiguredUser() throws Exception {
        try (Connection c = connect()) {
            exec(c, "SET @before = 1");
            c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).changeUser(EmbeddedMariaDb.OTHER.user(),
                    EmbeddedMariaDb.OTHER.password());
            assertTrue(one(c, "SELECT CURRENT_USER()").startsWith("other@"));
            assertNull(one(c, "SELECT @before"), "COM_CHANGE_USER resets the session");
            SQLException denied = assertThrows(SQLException.class, () -> c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class)
                    .changeUser(EmbeddedMariaDb.APP.user(), "wrong"));
            assertEquals(1045, denied.getErrorCode(), denied.toString());
        }
    }
}
