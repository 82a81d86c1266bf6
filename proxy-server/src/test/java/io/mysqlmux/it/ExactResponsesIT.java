package io.mysqlmux.it;

import io.mysqlmux.protocol.command.ComStmtExecute;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.proxy.session.PinReason;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.WireClient;
import io.mysqlmux.testing.WireClient.Packet;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * "No driver can tell mysqlmux from the server", taken literally: the same commands, sent straight
 * to the server and through the proxy, get the same bytes back, for a client in each wire shape.
 * Classic EOF clients (libmariadb, mysqlnd, mysql2) read status, warnings, MORE_RESULTS,
 * PS_OUT_PARAMS and CURSOR_EXISTS from the EOF after the column definitions; tracking clients read
 * only the session-state entries their own trackers ask for.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class ExactResponsesIT {
    private static final int MYSQL_TYPE_LONG = 0x03;
    private static ProxyFixture proxy;
    private static EmbeddedMariaDb server;

    /** The client shapes: without DEPRECATE_EOF (with and without SESSION_TRACK, as libmariadb and mysqlnd), and with both. */
    enum Shape {
        CLASSIC(WireClient.CLASSIC),
        CLASSIC_TRACKING(WireClient.MODERN & ~Capability.CLIENT_DEPRECATE_EOF),
        MODERN(WireClient.MODERN);

        final long capabilities;

        Shape(long capabilities) {
            this.capabilities = capabilities | Capability.CLIENT_MULTI_STATEMENTS;
        }
    }

    /** Text commands, run in this order on one connection each way. */
    private static final List<String> STATEMENTS = List.of(
            "SELECT id, v FROM exact_t",
            "SELECT 1/0 AS d",
            "SELECT 1 AS a; SELECT 2 AS b",
            "CALL exact_two()",
            "BEGIN NOT ATOMIC DECLARE c CURSOR FOR SELECT id FROM exact_t; OPEN c; SELECT 1 AS a; CLOSE c; END",
            "SET time_zone = '+01:00'",
            "SET @v = 1",
            "SET autocommit = 1",
            "USE app",
            "BEGIN",
            "SELECT v FROM exact_t WHERE id = 1",
            "COMMIT",
            "SET session_track_state_change = ON",
            "SET @w = 2",
            "SET session_track_state_change = OFF",
            "SET session_track_system_variables = '*'",
            "SET sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')",
            "SET session_track_system_variables = DEFAULT",
            "SET time_zone = '+02:00'");

    @BeforeAll
    static void setUp(EmbeddedMariaDb db) throws Exception {
        server = db;
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE exact_t (id INT PRIMARY KEY, v VARCHAR(10))");
            s.execute("INSERT INTO exact_t VALUES (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four'), (5, 'five')");
            s.execute("CREATE OR REPLACE PROCEDURE exact_two() BEGIN SELECT 1 AS a; SELECT 'x' AS b, 2 AS c; END");
            s.execute("CREATE OR REPLACE PROCEDURE exact_out(OUT x INT) BEGIN SELECT id FROM exact_t WHERE id < 3;"
                    + " SET x = 7; END");
            s.execute("CREATE OR REPLACE FUNCTION exact_tz() RETURNS INT BEGIN SET time_zone = '+05:00'; RETURN 1; END");
        }
        proxy = ProxyFixture.start(db, Map.of("pool.max_size", 2));
    }

    @AfterAll
    static void tearDown() {
        proxy.close();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void textCommandsGetTheServersBytes(Shape shape) throws Exception {
        try (WireClient direct = connect(server.port(), shape); WireClient mux = connect(proxy.port(), shape)) {
            for (String sql : STATEMENTS) {
                assertSame(sql, direct.query(sql), mux.query(sql));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void cursorExecuteAndFetchGetTheServersBytes(Shape shape) throws Exception {
        try (WireClient direct = connect(server.port(), shape); WireClient mux = connect(proxy.port(), shape)) {
            int[] ids = prepareBoth("SELECT id, v FROM exact_t ORDER BY id", direct, mux);
            assertSame("execute, read-only cursor", execute(direct, ids[0], ComStmtExecute.CURSOR_TYPE_READ_ONLY),
                    execute(mux, ids[1], ComStmtExecute.CURSOR_TYPE_READ_ONLY));
            assertSame("fetch 2", fetch(direct, ids[0], 2), fetch(mux, ids[1], 2));
            assertSame("query between fetches", direct.query("SELECT 42"), mux.query("SELECT 42"));
            assertSame("fetch the rest", fetch(direct, ids[0], 10), fetch(mux, ids[1], 10));
        }
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void preparedCallWithOutParameterGetsTheServersBytes(Shape shape) throws Exception {
        try (WireClient direct = connect(server.port(), shape); WireClient mux = connect(proxy.port(), shape)) {
            int[] call = prepareBoth("CALL exact_out(?)", direct, mux);
            int[] division = prepareBoth("SELECT 1/0 AS d", direct, mux);
            assertSame("execute CALL exact_out(?)", executeOutParameter(direct, call[0]),
                    executeOutParameter(mux, call[1]));
            assertSame("execute SELECT 1/0", execute(direct, division[0], ComStmtExecute.CURSOR_TYPE_NO_CURSOR),
                    execute(mux, division[1], ComStmtExecute.CURSOR_TYPE_NO_CURSOR));
        }
    }

    /**
     * A stored function that sets a variable, called in a SELECT: with DEPRECATE_EOF the OK that ends
     * the rows says what changed; a classic EOF can only flag that something did, so the session
     * keeps its connection (as for any change the proxy cannot see).
     */
    @ParameterizedTest
    @EnumSource(Shape.class)
    void changeInsideASelectIsKeptWhatEverTheShape(Shape shape) throws Exception {
        try (WireClient direct = connect(server.port(), shape); WireClient mux = connect(proxy.port(), shape)) {
            assertSame("SELECT exact_tz()", direct.query("SELECT exact_tz()"), mux.query("SELECT exact_tz()"));
            PinReason pin = proxy.server().sessions().get(mux.connectionId()).pin();
            assertEquals(shape == Shape.MODERN ? null : PinReason.UNKNOWN_STATE_CHANGE, pin);
            try (WireClient other = connect(proxy.port(), shape)) {
                other.query("SELECT @@time_zone");
            }
            assertSame("SELECT @@time_zone", direct.query("SELECT @@time_zone"), mux.query("SELECT @@time_zone"));
        }
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void loginOkReportsWhatTheServersDoes(Shape shape) throws Exception {
        try (WireClient direct = connect(server.port(), shape); WireClient mux = connect(proxy.port(), shape)) {
            OkPacket expected = direct.loginOk();
            OkPacket actual = mux.loginOk();
            assertEquals(expected.statusFlags(), actual.statusFlags(), "status flags");
            assertArrayEquals(expected.sessionState(), actual.sessionState(), "session state");
        }
    }

    private static WireClient connect(int port, Shape shape) throws IOException {
        return WireClient.connect(port, EmbeddedMariaDb.APP, "app", shape.capabilities);
    }

    private static List<Packet> prepare(WireClient client, String sql) throws IOException {
        return client.command(ExpectedResponse.PREPARE,
                out -> out.writeByte(0x16).writeBytes(sql.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Prepares {@code sql} both ways; the answers must be the same but for the statement id (MariaDB's
     * ids are not per connection, the proxy's are). Returns the direct and the proxy's id.
     */
    private static int[] prepareBoth(String sql, WireClient direct, WireClient mux) throws IOException {
        List<Packet> expected = prepare(direct, sql);
        List<Packet> actual = prepare(mux, sql);
        assertEquals(hex(withoutStatementId(expected)), hex(withoutStatementId(actual)), "prepare " + sql);
        return new int[] {statementId(expected), statementId(actual)};
    }

    private static List<Packet> withoutStatementId(List<Packet> prepared) {
        byte[] ok = prepared.get(0).bytes().clone();
        Arrays.fill(ok, 5, 9, (byte) 0);
        return Stream.concat(Stream.of(new Packet(prepared.get(0).kind(), ok)), prepared.stream().skip(1)).toList();
    }

    private static int statementId(List<Packet> prepared) {
        return prepared.get(0).payload().getIntLE(1);
    }

    private static List<Packet> execute(WireClient client, int statementId, int flags) throws IOException {
        return client.command(ExpectedResponse.EXECUTE,
                out -> out.writeByte(0x17).writeIntLE(statementId).writeByte(flags).writeIntLE(1));
    }

    /** One parameter, NULL, typed LONG: the OUT parameter of a CALL. */
    private static List<Packet> executeOutParameter(WireClient client, int statementId) throws IOException {
        return client.command(ExpectedResponse.EXECUTE, out -> out.writeByte(0x17).writeIntLE(statementId)
                .writeByte(0).writeIntLE(1).writeByte(0x01).writeByte(1).writeShortLE(MYSQL_TYPE_LONG));
    }

    private static List<Packet> fetch(WireClient client, int statementId, int rows) throws IOException {
        return client.command(ExpectedResponse.ROWS,
                out -> out.writeByte(0x1C).writeIntLE(statementId).writeIntLE(rows));
    }

    private static void assertSame(String what, List<Packet> direct, List<Packet> mux) {
        assertEquals(hex(direct), hex(mux), what);
    }

    private static String hex(List<Packet> packets) {
        return packets.stream().map(p -> p.kind() + " " + ByteBufUtil.hexDump(p.bytes()))
                .collect(Collectors.joining("\n"));
    }
}
