package io.mysqlmux.it;

import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.Sql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.testing.WireClient;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.mysqlmux.testing.Sql.exec;
import static io.mysqlmux.testing.Sql.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answers tied to the statement before, and one-shot settings, on a pool of ONE server connection
 * with another session's statements in between: each session sees what its own server session
 * would show, never the other's (DESIGN.md, "statement-tied answers").
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class StatementTiedAnswersIT {
    private static ProxyFixture proxy;

    @BeforeAll
    static void setUp(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE app.tied (id INT PRIMARY KEY, v VARCHAR(10))");
            s.execute("INSERT INTO app.tied VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e')");
            s.execute("CREATE OR REPLACE TABLE app.tied_copy (id INT, v VARCHAR(10))");
        }
        proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1, "pool.queue_timeout", "20s"));
    }

    @AfterAll
    static void tearDown() {
        proxy.close();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(proxy.mysqlUrl("app", ""), EmbeddedMariaDb.APP.user(),
                EmbeddedMariaDb.APP.password());
    }

    @Test
    void setStatementLimitsThatStatementOnly() throws SQLException {
        try (Connection a = connect(); Connection b = connect()) {
            try (Statement s = a.createStatement()) {
                s.execute("SET STATEMENT sql_select_limit=1 FOR SELECT * FROM tied");
                ResultSet rs = s.getResultSet();
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertEquals(1, n, "the statement itself is limited");
            }
            assertEquals(5, rows(b, "SELECT * FROM tied"), "the other session");
            assertEquals(5, rows(a, "SELECT * FROM tied"), "the session's next statement");
            assertEquals("18446744073709551615", one(a, "SELECT @@sql_select_limit"));
        }
    }

    @Test
    void aDozenVariablesInOneSetStayWithTheirSession() throws SQLException {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("sql_select_limit", "7");
        set.put("max_join_size", "1000000");
        set.put("group_concat_max_len", "12345");
        set.put("sort_buffer_size", "1048576");
        set.put("div_precision_increment", "9");
        set.put("lock_wait_timeout", "77");
        set.put("innodb_lock_wait_timeout", "33");
        set.put("max_sort_length", "2048");
        set.put("net_read_timeout", "41");
        set.put("net_write_timeout", "61");
        set.put("time_zone", "+05:00");
        set.put("auto_increment_increment", "3");
        set.put("sql_mode", "STRICT_TRANS_TABLES,NO_ZERO_DATE");
        set.put("character_set_results", "latin1");
        try (Connection a = connect(); Connection b = connect()) {
            Map<String, String> before = values(b, set.keySet());
            StringBuilder sql = new StringBuilder("SET ");
            set.forEach((name, value) -> sql.append(sql.length() > 4 ? ", " : "").append(name).append(" = ")
                    .append(value.matches("\\d+") ? value : "'" + value + "'"));
            exec(a, sql.toString());
            assertEquals(before, values(b, set.keySet()), "the other session keeps its values");
            Map<String, String> after = values(a, set.keySet());
            set.forEach((name, value) -> assertEquals(value, after.get(name), name + " of the session that set it"));
            assertEquals(before, values(b, set.keySet()), "and still keeps them");
        }
    }

    @Test
    void theShortAtAtFormOfSetStaysWithItsSession() throws SQLException {
        try (Connection a = connect(); Connection b = connect()) {
            String mode = one(b, "SELECT @@sql_mode");
            exec(a, "SET @@sql_mode = 'ANSI'");
            exec(a, "SET @@time_zone = '+03:00'");
            exec(a, "SET @@autocommit = 0");
            assertEquals(mode, one(b, "SELECT @@sql_mode"));
            assertEquals("SYSTEM", one(b, "SELECT @@time_zone"));
            assertEquals("1", one(b, "SELECT @@autocommit"));
            assertEquals("+03:00", one(a, "SELECT @@time_zone"));
            assertEquals("0", one(a, "SELECT @@autocommit"));
            exec(a, "ROLLBACK");
            exec(a, "SET @@autocommit = 1");
        }
    }

    @Test
    void showWarningsAndErrorsAreTheSessionsOwn() throws SQLException {
        try (Connection a = connect(); Connection b = connect()) {
            exec(a, "SELECT CAST('12abc' AS SIGNED)");
            assertEquals("0", one(b, "SELECT @@warning_count"), "a fresh session has no warnings");
            exec(b, "SELECT 1");
            assertEquals("1", one(a, "SELECT @@warning_count"));
            List<String> warnings = column(a, "SHOW WARNINGS", 3);
            assertEquals(1, warnings.size(), warnings.toString());
            assertEquals("Truncated incorrect INTEGER value: '12abc'", warnings.get(0));

            assertThrows(SQLException.class, () -> exec(b, "SELECT * FROM no_such_table_here"));
            exec(a, "SELECT 1");
            assertEquals(List.of("Truncated incorrect INTEGER value: '12abc'"), column(a, "SHOW WARNINGS", 3),
                    "a statement without tables and warnings leaves them, as on the server");
            assertEquals(List.of(), column(a, "SHOW ERRORS", 3));
            assertEquals(List.of("1146"), column(b, "SHOW ERRORS", 2), "the other session's own error");
            assertEquals("1", one(b, "SELECT @@error_count"));
            assertEquals(List.of("1"), column(b, "SHOW COUNT(*) ERRORS", 1));

            exec(a, "SELECT * FROM tied WHERE id = 1");
            assertEquals(List.of(), column(a, "SHOW WARNINGS", 3), "a statement with tables clears them");
            assertEquals("0", one(a, "SELECT @@warning_count"));
        }
    }

    @Test
    void foundRowsIsTheServersAnswerForTheSessionsPreviousStatement() throws SQLException {
        try (Connection a = connect(); Connection b = connect()) {
            exec(a, "SELECT * FROM tied ORDER BY id LIMIT 2, 1");
            exec(b, "SELECT * FROM tied WHERE id = 1");
            assertEquals("3", one(a, "SELECT FOUND_ROWS()"), "rows up to the limit, as the server counts them");
            exec(a, "SELECT * FROM tied WHERE id = 1");
            exec(a, "INSERT INTO tied_copy SELECT * FROM tied WHERE id > 100");
            exec(b, "SELECT * FROM tied");
            assertEquals("0", one(a, "SELECT FOUND_ROWS()"), "the INSERT ... SELECT found none");
        }
    }

    @Test
    void changeUserReleasesTheOldSessionsLocksBeforeItAnswers() throws SQLException {
        try (Connection a = connect(); Connection b = connect()) {
            assertEquals("1", one(a, "SELECT GET_LOCK('tied_lock', 5)"));
            ((com.mysql.cj.jdbc.JdbcConnection) a).changeUser(EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password());
            assertEquals("1", one(b, "SELECT IS_FREE_LOCK('tied_lock')"), "the lock went with the old session");
            assertEquals("1", one(a, "SELECT 1"));
        }
    }

    @Test
    void aRefusedChangeUserLeavesTheSessionAsItWas() throws Exception {
        try (WireClient client = WireClient.connect(proxy.port(), EmbeddedMariaDb.APP, "app", WireClient.MODERN)) {
            client.query("SET time_zone = '+02:00'");
            byte[] junk = new byte[20];
            java.util.Arrays.fill(junk, (byte) 7);
            long started = System.nanoTime();
            List<WireClient.Packet> switched = client.command(ExpectedResponse.SINGLE_PACKET, out -> out.writeByte(0x11)
                    .writeBytes("app\0".getBytes(StandardCharsets.US_ASCII)).writeByte(20).writeBytes(junk)
                    .writeBytes("app\0".getBytes(StandardCharsets.US_ASCII)).writeShortLE(45)
                    .writeBytes("mysql_native_password\0".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(0xFE, switched.get(0).firstByte(), "the proxy asks for a token of its scramble");
            client.sendRaw(frame(2, junk));
            List<WireClient.Packet> answer = client.readResponse(ExpectedResponse.SINGLE_PACKET, 2);
            assertEquals(0xFF, answer.get(0).firstByte());
            assertTrue(answer.get(0).text().contains("Access denied"), answer.get(0).text());
            assertTrue(System.nanoTime() - started >= 900_000_000L, "answered after the server's one-second brake");
            assertTrue(client.query("SELECT @@time_zone").stream().anyMatch(p -> p.text().contains("+02:00")),
                    "the same session goes on, with its state");
        }
    }

    private static byte[] frame(int sequenceId, byte[] payload) {
        byte[] frame = new byte[4 + payload.length];
        frame[0] = (byte) payload.length;
        frame[3] = (byte) sequenceId;
        System.arraycopy(payload, 0, frame, 4, payload.length);
        return frame;
    }

    @Test
    void aSessionThatStartsAfterSetGlobalHasTheNewDefault() throws SQLException {
        try (Connection a = connect()) {
            String before = one(a, "SELECT @@global.max_sort_length");
            exec(a, "SET GLOBAL max_sort_length = 2000");
            try (Connection later = connect()) {
                assertEquals("2000", one(later, "SELECT @@session.max_sort_length"), "as a new server session");
            } finally {
                exec(a, "SET GLOBAL max_sort_length = " + before);
            }
        }
    }

    @Test
    void accountChangesMakeTheServerConnectionsLogInAgain() throws SQLException {
        try (Connection a = connect(); Connection admin = proxy.admin()) {
            exec(a, "SELECT 1");
            long closedBefore = appPoolClosed(admin);
            exec(a, "CREATE USER IF NOT EXISTS 'tied_user'@'%' IDENTIFIED BY 'x'");
            exec(a, "DROP USER 'tied_user'@'%'");
            exec(a, "SELECT 1");
            assertTrue(appPoolClosed(admin) > closedBefore, "the connection from before the change was replaced");
        }
    }

    private static long appPoolClosed(Connection admin) throws SQLException {
        long closed = 0;
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SHOW POOLS")) {
            while (rs.next()) {
                if ("app".equals(rs.getString("user"))) {
                    closed += rs.getLong("closed");
                }
            }
        }
        return closed;
    }

    @Test
    void isUsedLockNamesTheHolderByTheIdItWasGiven(EmbeddedMariaDb db) throws SQLException {
        try (ProxyFixture two = ProxyFixture.start(db, Map.of("pool.max_size", 2));
             Connection a = DriverManager.getConnection(two.mysqlUrl("app", ""), EmbeddedMariaDb.APP.user(),
                     EmbeddedMariaDb.APP.password());
             Connection b = DriverManager.getConnection(two.mysqlUrl("app", ""), EmbeddedMariaDb.APP.user(),
                     EmbeddedMariaDb.APP.password())) {
            assertEquals("1", one(a, "SELECT GET_LOCK('tied_holder', 5)"));
            assertEquals(one(a, "SELECT CONNECTION_ID()"), one(b, "SELECT IS_USED_LOCK('tied_holder')"));
            assertEquals(null, one(b, "SELECT IS_USED_LOCK('nobody_holds_this')"));
            exec(a, "DO RELEASE_LOCK('tied_holder')");
        }
    }

    @Test
    void aRoleSetByOneClientNeverReachesTheNext(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE ROLE IF NOT EXISTS tied_reader");
            s.execute("GRANT tied_reader TO 'app'@'%'");
        }
        String afterReset;
        try (Connection direct = DriverManager.getConnection("jdbc:mysql://" + db.host() + ":" + db.port()
                + "/app?sslMode=DISABLED&allowPublicKeyRetrieval=true", EmbeddedMariaDb.APP.user(),
                EmbeddedMariaDb.APP.password())) {
            exec(direct, "SET ROLE tied_reader");
            ((com.mysql.cj.jdbc.JdbcConnection) direct).resetServerState();
            afterReset = one(direct, "SELECT CURRENT_ROLE()");
        }
        try (Connection a = connect()) {
            exec(a, "SET ROLE tied_reader");
            exec(a, "SELECT 1");
            assertEquals("tied_reader", one(a, "SELECT CURRENT_ROLE()"), "the role stays with its session");
            ((com.mysql.cj.jdbc.JdbcConnection) a).resetServerState();
            assertEquals(afterReset, one(a, "SELECT CURRENT_ROLE()"), "after a reset, as on the server itself");
        }
        try (Connection c = connect()) {
            assertEquals(null, one(c, "SELECT CURRENT_ROLE()"), "the next client of the same user has no role");
        }
    }

    @Test
    void creatingAProcedureThatPreparesDoesNotPinItsCreator() throws SQLException {
        try (Connection a = connect(); Connection b = connect()) {
            exec(a, "CREATE OR REPLACE PROCEDURE tied_proc() BEGIN SET @stmt = 'SELECT 1'; PREPARE s FROM @stmt;"
                    + " EXECUTE s; DEALLOCATE PREPARE s; END");
            assertEquals("1", one(b, "SELECT 1"), "served at once although the creator stays connected");
        }
    }

    private static int rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            return n;
        }
    }

    private static List<String> column(Connection c, String sql, int column) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(column));
            }
        }
        return values;
    }

    private static Map<String, String> values(Connection c, Iterable<String> names) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        List<String> list = new ArrayList<>();
        names.forEach(list::add);
        for (int i = 0; i < list.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("@@session.").append(list.get(i));
        }
        Map<String, String> values = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
            rs.next();
            for (int i = 0; i < list.size(); i++) {
                values.put(list.get(i), rs.getString(i + 1));
            }
        }
        return values;
    }
}
