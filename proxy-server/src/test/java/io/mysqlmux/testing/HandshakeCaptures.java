package io.mysqlmux.testing;

import static io.mysqlmux.testing.CapabilityFlags.BASE;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_CONNECT_ATTRS;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_DEPRECATE_EOF;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_SESSION_TRACK;

import io.mysqlmux.protocol.HexVectors;
import io.mysqlmux.testing.RawLogin.Greeting;
import io.mysqlmux.testing.RawLogin.Request;
import io.mysqlmux.testing.RawMysqlClient.Capture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * {@code handshake/}: the connection phase. Except for the greeting alone, each file's server
 * section starts with the greeting (sequence id 0) whose scramble the client's response answers.
 */
final class HandshakeCaptures extends Captures {

    private static final String SERVER_SECTION_NOTE =
            "server section starts with the greeting (seq 0) that the client's response answers";

    HandshakeCaptures(EmbeddedMariaDb server, VectorWriter writer) {
        super(server, writer);
    }

    @Override
    void recordAll() throws IOException, SQLException {
        recordGreeting();
        recordLogin("response_connect_attrs_ok", Request.of(EmbeddedMariaDb.APP, "app",
                BASE | CLIENT_CONNECT_ATTRS), "CONNECT_ATTRS, CONNECT_WITH_DB, lenenc auth data; OK");
        recordLogin("response_session_track_ok", Request.of(EmbeddedMariaDb.APP, "app",
                BASE | CLIENT_CONNECT_ATTRS | CLIENT_DEPRECATE_EOF | CLIENT_SESSION_TRACK),
                "with SESSION_TRACK the OK after authentication carries session state");
        recordLogin("auth_switch_caching_sha2_to_native", Request.of(EmbeddedMariaDb.APP, "app", BASE)
                        .withAuthPlugin(RawLogin.CACHING_SHA2_PASSWORD),
                "client answers with a caching_sha2_password token; the server switches to "
                        + "mysql_native_password (AuthSwitchRequest), then OK");
        recordLogin("wrong_password_err_1045", Request.of(EmbeddedMariaDb.APP, "app", BASE)
                .withPassword("wrong-secret"), "password 'wrong-secret' instead of 'app-secret'");
        recordConnectorJLogin();
    }

    private void recordGreeting() throws IOException {
        try (RawMysqlClient client = RawMysqlClient.connect(server.host(), server.port())) {
            Greeting greeting = RawLogin.readGreeting(client);
            save("handshake/greeting.hex", writer.headers(0)
                    .command("HandshakeV10 (initial handshake)")
                    .put("server-capabilities", CapabilityFlags.describe(greeting.capabilities()))
                    .put("server-mariadb-capabilities",
                            CapabilityFlags.describeMariaDb(greeting.mariaDbCapabilities()))
                    .note("server bytes only; capabilities 0 = the client sent nothing"),
                    client.takeCapture());
        }
    }

    private void recordLogin(String name, Request request, String note) throws IOException {
        try (RawMysqlClient client = RawMysqlClient.connect(server.host(), server.port())) {
            Greeting greeting = RawLogin.readGreeting(client);
            RawLogin.login(client, greeting, request);
            Capture capture = client.takeCapture();
            save("handshake/" + name + ".hex", writer.headers(request.capabilities())
                    .command("HandshakeResponse41")
                    .put("user", request.user() + " / " + request.password() + ", database "
                            + request.database() + ", auth plugin named " + request.authPlugin())
                    .note(SERVER_SECTION_NOTE).note(note), capture);
        }
    }

    // A real driver's login, through a relay. TLS off: encrypted bytes would teach the codec nothing.
    private void recordConnectorJLogin() throws IOException, SQLException {
        Properties props = EmbeddedMariaDb.properties(EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password());
        props.setProperty("sslMode", "DISABLED");
        String driver;
        RecordingRelay relay = RecordingRelay.start(server.host(), server.port());
        try (Connection c = DriverManager.getConnection(
                "jdbc:mysql://" + server.host() + ":" + relay.port() + "/app", props)) {
            driver = c.getMetaData().getDriverVersion();
        } finally {
            relay.close(); // the copies are complete only after this
        }
        RawMysqlClient.Capture capture = new RawMysqlClient.Capture(
                clientLoginPackets(relay.clientBytes()), serverLoginPackets(relay.serverBytes()));
        int capabilities = (capture.client()[4] & 0xFF) | (capture.client()[5] & 0xFF) << 8
                | (capture.client()[6] & 0xFF) << 16 | (capture.client()[7] & 0xFF) << 24;
        save("handshake/connector_j_login.hex", writer.headers(capabilities)
                .command("HandshakeResponse41")
                .put("client", driver + ", sslMode=DISABLED, user app / app-secret, database app")
                .note(SERVER_SECTION_NOTE)
                .note("recorded through a TCP relay; connection phase only, the driver's setup queries "
                        + "after the OK are left out"), capture);
    }

    // The client's connection-phase packets carry ids 1, 3, ...; its first command restarts at 0.
    private static byte[] clientLoginPackets(byte[] wire) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] packet : HexVectors.packets(wire)) {
            if ((packet[3] & 0xFF) == 0) {
                break;
            }
            out.writeBytes(packet);
        }
        return out.toByteArray();
    }

    // Greeting, any auth rounds, up to and including the OK or ERR that ends authentication.
    private static byte[] serverLoginPackets(byte[] wire) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> packets = HexVectors.packets(wire);
        for (int i = 0; i < packets.size(); i++) {
            byte[] packet = packets.get(i);
            out.writeBytes(packet);
            int first = packet[4] & 0xFF;
            if (i > 0 && (first == 0x00 || first == 0xFF)) {
                break;
            }
        }
        return out.toByteArray();
    }
}
