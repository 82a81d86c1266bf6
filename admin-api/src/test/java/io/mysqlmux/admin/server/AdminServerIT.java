package io.mysqlmux.admin.server;

import io.mysqlmux.admin.BackendView;
import io.mysqlmux.admin.ClientView;
import io.mysqlmux.admin.ControlException;
import io.mysqlmux.admin.ControlView;
import io.mysqlmux.admin.Health;
import io.mysqlmux.admin.PoolView;
import io.mysqlmux.admin.ReloadResult;
import io.mysqlmux.admin.StatsView;
import io.mysqlmux.admin.UserView;
import io.mysqlmux.admin.VariableView;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.handshake.ClientLogin;
import io.mysqlmux.protocol.handshake.LoginStep;
import io.mysqlmux.protocol.wire.Capability;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin port's protocol and statements against a control interface with known contents:
 * both drivers, a client without CLIENT_DEPRECATE_EOF (classic EOF result sets), logins, limits,
 * errors, and the HTTP endpoint.
 */
class AdminServerIT {
    private static final String PASSWORD = "s3cret";

    private final FakeControl control = new FakeControl();
    private AdminServer server;

    @BeforeEach
    void start() {
        server = AdminServer.start(control, new AdminSettings(new InetSocketAddress("127.0.0.1", 0), "admin", PASSWORD,
                3, "8.0.36-mysqlmux-admin", new InetSocketAddress("127.0.0.1", 0)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void connectorJRunsTheStatementLanguage() throws Exception {
        try (Connection admin = connect("jdbc:mysql", "admin", PASSWORD)) {
            List<Map<String, String>> pools = rows(admin, "SHOW POOLS");
            assertEquals(1, pools.size());
            assertEquals("app", pools.get(0).get("user"));
            assertEquals("7", pools.get(0).get("waiting"));
            try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SHOW POOLS")) {
                rs.next();
                assertEquals(7L, rs.getLong("waiting"), "numeric columns read as numbers");
                assertEquals(java.sql.Types.BIGINT, rs.getMetaData().getColumnType(rs.findColumn("waiting")));
            }
            assertEquals("c1", rows(admin, "SHOW CLIENTS").get(0).get("last_statement"));
            assertEquals("Sleep", rows(admin, "SHOW PROCESSLIST").get(0).get("Command"));
            assertEquals(null, rows(admin, "SHOW BACKENDS").get(0).get("leased_to"), "-1 shows as NULL");
            Map<String, String> stats = new LinkedHashMap<>();
            rows(admin, "SHOW STATS").forEach(r -> stats.put(r.get("name"), r.get("value")));
            assertEquals("12", stats.get("client_connections"));
            assertEquals("3", stats.get("rejected.max_client_connections"));
            assertEquals("0.500", stats.get("wait_ms.p50.app@db:3306"));
            assertEquals("2.500", stats.get("sessions_per_server_connection"));

            try (Statement s = admin.createStatement()) {
                assertEquals(0, s.executeUpdate("SET pool.max_size = 30"));
                assertEquals("pool.max_size=30", control.calls.get(control.calls.size() - 1));
                assertEquals(1, s.executeUpdate("KILL 12"));
                assertEquals("kill 12", control.calls.get(control.calls.size() - 1));
                assertEquals(2, s.executeUpdate("KILL IDLE 60"));
                s.execute("PAUSE");
                s.execute("RESUME");
                assertEquals(List.of("kill 12", "killIdle 60", "pause", "resume"),
                        control.calls.subList(control.calls.size() - 4, control.calls.size()));
            }
            List<Map<String, String>> reload = rows(admin, "RELOAD");
            assertEquals("applied", reload.get(0).get("status"));
            assertEquals("needs restart", reload.get(1).get("status"));
            assertEquals(1, rows(admin, "SHOW VARIABLES LIKE '%max\\_size'").size());
        }
    }

    @Test
    void errorsCarryTheRightCodesAndTheSessionGoesOn() throws Exception {
        try (Connection admin = connect("jdbc:mysql", "admin", PASSWORD)) {
            assertError(admin, "SELECT * FROM pools", 1064, "42000");
            assertError(admin, "SET nonsense = 1", 1193, "HY000");
            assertError(admin, "SET pool.max_size = 0", 1231, "42000");
            assertError(admin, "SET pool.max_size = 1 + 1", 1231, "42000");
            assertError(admin, "SET fixed.one = 1", 1238, "HY000");
            assertError(admin, "KILL 99", 1094, "HY000");
            assertError(admin, "SELECT nosuch()", 1305, "42000");
            control.failNext = true;
            assertError(admin, "SHOW USERS", 1105, "HY000");
            assertEquals("app", rows(admin, "SHOW USERS").get(0).get("user"), "the session still works");
            try (PreparedStatement ps = admin.prepareStatement("SHOW POOLS")) {
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "client-side prepared statements work");
                }
            }
        }
        try (Connection serverPrepared = DriverManager.getConnection(url("jdbc:mysql") + "&useServerPrepStmts=true"
                + "&emulateUnsupportedPstmts=false", "admin", PASSWORD)) {
            SQLException prepare = assertThrows(SQLException.class,
                    () -> serverPrepared.prepareStatement("SHOW POOLS").executeQuery());
            assertEquals(1295, prepare.getErrorCode(), prepare.getMessage());
        }
    }

    @Test
    void onlyTheAdminUserWithItsPasswordGetsInAndTheLimitHolds() throws Exception {
        SQLException wrong = assertThrows(SQLException.class, () -> connect("jdbc:mysql", "admin", "nope"));
        assertEquals(1045, wrong.getErrorCode());
        assertEquals("28000", wrong.getSQLState());
        SQLException other = assertThrows(SQLException.class, () -> connect("jdbc:mariadb", "app", PASSWORD));
        assertEquals(1045, other.getErrorCode());
        assertTrue(other.getMessage().contains("admin port"), other.getMessage());

        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(connect("jdbc:mariadb", "admin", PASSWORD));
            }
            SQLException full = assertThrows(SQLException.class, () -> connect("jdbc:mysql", "admin", PASSWORD));
            assertEquals(1040, full.getErrorCode());
            assertTrue(full.getMessage().contains("admin.max_connections"), full.getMessage());
            assertEquals(1, rows(open.get(0), "SHOW POOLS").size());
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    /** A client that did not negotiate CLIENT_DEPRECATE_EOF gets EOF packets around the rows. */
    @Test
    void classicEofClientGetsEofPacketsAroundTheRows() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.adminAddress().getPort())) {
            socket.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            long wanted = Capability.CLIENT_PROTOCOL_41 | Capability.CLIENT_SECURE_CONNECTION
                    | Capability.CLIENT_PLUGIN_AUTH | Capability.CLIENT_LONG_PASSWORD | Capability.CLIENT_TRANSACTIONS;
            ClientLogin login = new ClientLogin(new ClientLogin.Settings("admin", PASSWORD.getBytes(StandardCharsets.UTF_8),
                    null, 45, Capability.of(wanted), Map.of(), false));
            byte[] greeting = readPacket(in);
            LoginStep step = login.onGreeting(Unpooled.wrappedBuffer(greeting, 4, greeting.length - 4), greeting[3]);
            while (step instanceof LoginStep.Send send) {
                write(out, send);
                byte[] answer = readPacket(in);
                step = login.onPacket(Unpooled.wrappedBuffer(answer, 4, answer.length - 4), answer[3]);
            }
            assertTrue(step instanceof LoginStep.Done, "logged in: " + step);

            out.write(new byte[] {11, 0, 0, 0, 3, 'S', 'H', 'O', 'W', ' ', 'U', 'S', 'E', 'R', 'S'});
            out.flush();
            List<Integer> headers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] packet = readPacket(in);
                headers.add(packet[4] & 0xFF);
                if ((packet[4] & 0xFF) == 0xFE && packet.length - 4 < 9 && headers.stream().filter(h -> h == 0xFE).count() == 2) {
                    break;
                }
            }
            // column count, 4 column definitions, EOF, one row, EOF
            assertEquals(4, headers.get(0));
            assertEquals(0xFE, headers.get(5), "EOF after the column definitions: " + headers);
            assertEquals(0xFE, headers.get(7), "EOF after the row: " + headers);
        }
    }

    @Test
    void httpEndpointServesMetricsAndHealth() throws Exception {
        String base = "http://127.0.0.1:" + server.httpAddress().getPort();
        HttpResponse<String> metrics = get(base + "/metrics");
        assertEquals(200, metrics.statusCode());
        assertEquals("mysqlmux_up 1\n", metrics.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().firstValue("content-type").orElse(""));
        assertEquals(200, get(base + "/health/live").statusCode());
        HttpResponse<String> ready = get(base + "/health/ready");
        assertEquals(503, ready.statusCode());
        assertEquals("not ready: paused for a test\n", ready.body());
        control.ready = true;
        assertEquals(200, get(base + "/health/ready").statusCode());
        assertEquals(404, get(base + "/other").statusCode());
        HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    // ---- helpers ----

    private Connection connect(String scheme, String user, String password) throws SQLException {
        return DriverManager.getConnection(url(scheme), user, password);
    }

    private String url(String scheme) {
        return scheme + "://127.0.0.1:" + server.adminAddress().getPort() + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true";
    }

    private static void assertError(Connection c, String sql, int code, String state) {
        SQLException e = assertThrows(SQLException.class, () -> rows(c, sql), sql);
        assertEquals(code, e.getErrorCode(), sql + ": " + e.getMessage());
        assertEquals(state, e.getSQLState(), sql);
    }

    private static List<Map<String, String>> rows(Connection c, String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            if (!s.execute(sql)) {
                return rows;
            }
            try (ResultSet rs = s.getResultSet()) {
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static byte[] readPacket(DataInputStream in) throws IOException {
        byte[] header = new byte[4];
        in.readFully(header);
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        byte[] packet = new byte[4 + length];
        System.arraycopy(header, 0, packet, 0, 4);
        in.readFully(packet, 4, length);
        return packet;
    }

    private static void write(OutputStream out, LoginStep.Send send) throws IOException {
        ByteBuf packet = PacketEncoder.encode(ByteBufAllocator.DEFAULT, send.sequenceId(), send.payload());
        try {
            byte[] bytes = new byte[packet.readableBytes()];
            packet.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            packet.release();
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Known contents, and a record of every lever pulled. */
    private static final class FakeControl implements ControlView {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile boolean ready;
        volatile boolean failNext;

        @Override
        public List<PoolView> pools() {
            return List.of(new PoolView("db:3306", "app", "found_rows", 4, 4, 4, 0, 1, 7, 120, 10, 6, 3));
        }

        @Override
        public List<ClientView> clients() {
            return List.of(new ClientView(12, "app", "10.0.0.1:5000", "app", "idle", null, 3, -1, "c1"));
        }

        @Override
        public List<BackendView> backends() {
            return List.of(new BackendView(5, "app@db:3306", "idle", 60, -1, 100, 77));
        }

        @Override
        public StatsView stats() {
            return new StatsView(12, 20, 4, 8, Map.of("max_client_connections", 3L), 1, 1000, 200, 50, 2, 10, 20,
                    Map.of("app@db:3306", new double[] {0.5, 1, 2, 3}), 2.5, 10, Map.of());
        }

        @Override
        public List<VariableView> variables() {
            return List.of(new VariableView("pool.max_size", "20", true, "most server connections per pool"),
                    new VariableView("fixed.one", "1", false, "changes only with a restart"));
        }

        @Override
        public List<UserView> users() {
            if (failNext) {
                failNext = false;
                throw new ControlException("users are being reloaded");
            }
            return List.of(new UserView("app", 0, 12, "app@db:3306"));
        }

        @Override
        public VariableView setVariable(String name, String value) {
            if (value.equals("0")) {
                throw new ControlException(name + ": 0 (expected: a whole number of at least 1)");
            }
            calls.add(name + "=" + value);
            return new VariableView(name, value, true, "");
        }

        @Override
        public boolean kill(long clientId) {
            calls.add("kill " + clientId);
            return clientId == 12;
        }

        @Override
        public int killIdle(Duration idleFor) {
            calls.add("killIdle " + idleFor.toSeconds());
            return 2;
        }

        @Override
        public void pause() {
            calls.add("pause");
        }

        @Override
        public void resume() {
            calls.add("resume");
        }

        @Override
        public ReloadResult reload() {
            calls.add("reload");
            return new ReloadResult(List.of("pool.max_size: 20 -> 30"), List.of("listen: a -> b"));
        }

        @Override
        public void shutdown(boolean graceful) {
            calls.add("shutdown " + graceful);
        }

        @Override
        public Health health() {
            return new Health(true, ready, ready ? "" : "paused for a test");
        }

        @Override
        public String prometheusText() {
            return "mysqlmux_up 1\n";
        }
    }
}
