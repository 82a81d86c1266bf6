package io.mysqlmux.it;

import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-side cursors as drivers use them: Connector/J with useCursorFetch reads several open
 * cursors in turn on one connection, which must stay with the session while any of them is open;
 * and a stored program's own cursor, which MariaDB reports on every result set it sends, must not
 * end the response early (the client would wait for ever).
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class CursorIT {
    /** A bound on every read: a response cut short shows up as a timeout, not a hung build. */
    private static final String SOCKET_TIMEOUT = "socketTimeout=15000";
    private static ProxyFixture proxy;

    @BeforeAll
    static void setUp(EmbeddedMariaDb db) throws Exception {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE cursor_t (id INT PRIMARY KEY, v VARCHAR(10))");
            StringBuilder rows = new StringBuilder();
            for (int i = 1; i <= 10; i++) {
                rows.append(i == 1 ? "" : ",").append("(").append(i).append(", 'row").append(i).append("')");
            }
            s.execute("INSERT INTO cursor_t VALUES " + rows);
            s.execute("CREATE OR REPLACE PROCEDURE cursor_then_select() BEGIN DECLARE c CURSOR FOR SELECT id FROM"
                    + " cursor_t; OPEN c; SELECT 1 AS a; SELECT 2 AS b; CLOSE c; END");
        }
        proxy = ProxyFixture.start(db, Map.of("pool.max_size", 2));
    }

    @AfterAll
    static void tearDown() {
        proxy.close();
    }

    private static Connection connectorJ(String params) throws SQLException {
        return DriverManager.getConnection(proxy.mysqlUrl("app", SOCKET_TIMEOUT + "&" + params),
                EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password());
    }

    /** compat DriverCheck cursor_fetch_interleaved: got 1421 "has no open cursor" when the third statement ended. */
    @Test
    void interleavedCursorsKeepTheirConnectionUntilTheLastIsClosed() throws Exception {
        try (Connection c = connectorJ("useCursorFetch=true&useServerPrepStmts=true&defaultFetchSize=3");
                PreparedStatement up = c.prepareStatement("SELECT id FROM cursor_t ORDER BY id");
                PreparedStatement down = c.prepareStatement("SELECT v FROM cursor_t ORDER BY id DESC")) {
            up.setFetchSize(2);
            down.setFetchSize(2);
            StringBuilder seen = new StringBuilder();
            try (ResultSet a = up.executeQuery(); ResultSet b = down.executeQuery()) {
                for (int i = 0; i < 6; i++) {
                    assertTrue(a.next());
                    assertTrue(b.next());
                    seen.append(" a=").append(a.getInt(1)).append(" b=").append(b.getString(1));
                    if (i == 2) {
                        try (Statement third = c.createStatement(); ResultSet count = third.executeQuery(
                                "SELECT COUNT(*) FROM cursor_t")) {
                            assertTrue(count.next());
                            assertEquals(10, count.getInt(1));
                        }
                    }
                }
                try (PreparedStatement third = c.prepareStatement("SELECT id FROM cursor_t WHERE id > 8")) {
                    third.setFetchSize(1);
                    assertEquals(List.of("9", "10"), column(third.executeQuery()));
                }
                assertTrue(a.next(), "the first cursor is still there after a third was read to its end");
                assertEquals(7, a.getInt(1));
            }
            assertEquals(" a=1 b=row10 a=2 b=row9 a=3 b=row8 a=4 b=row7 a=5 b=row6 a=6 b=row5", seen.toString());
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 'after'")) {
                assertTrue(r.next());
            }
        }
    }

    /** mtr main.signal, main.sp-expr: a compound statement with an open cursor hung the client. */
    @Test
    void compoundStatementWithAnOpenCursorReturnsAllItsResults() throws Exception {
        for (Connection c : List.of(connectorJ(""), DriverManager.getConnection(
                proxy.mariadbUrl("app", SOCKET_TIMEOUT), EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password()))) {
            try (c; Statement s = c.createStatement()) {
                assertTrue(s.execute("BEGIN NOT ATOMIC DECLARE c CURSOR FOR SELECT id FROM cursor_t; OPEN c;"
                        + " SELECT 1 AS a; SELECT 2 AS b; CLOSE c; END"));
                assertEquals(List.of("1"), column(s.getResultSet()));
                assertTrue(s.getMoreResults());
                assertEquals(List.of("2"), column(s.getResultSet()));
                assertFalse(s.getMoreResults());
                assertEquals(0, s.getUpdateCount());
                assertEquals(List.of("3"), column(s.executeQuery("SELECT 3")), "the connection is in step");
            }
        }
    }

    @Test
    void callWithAnOpenCursorReturnsAllItsResults() throws Exception {
        try (Connection c = connectorJ("useServerPrepStmts=true"); Statement s = c.createStatement();
                PreparedStatement call = c.prepareStatement("CALL cursor_then_select()")) {
            assertTrue(s.execute("CALL cursor_then_select()"));
            assertEquals(List.of("1"), column(s.getResultSet()));
            assertTrue(s.getMoreResults());
            assertEquals(List.of("2"), column(s.getResultSet()));
            assertTrue(call.execute(), "the same by COM_STMT_EXECUTE");
            assertEquals(List.of("1"), column(call.getResultSet()));
            assertTrue(call.getMoreResults());
            assertEquals(List.of("2"), column(call.getResultSet()));
            assertEquals(List.of("3"), column(s.executeQuery("SELECT 3")));
        }
    }

    private static List<String> column(ResultSet rs) throws SQLException {
        List<String> values = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
