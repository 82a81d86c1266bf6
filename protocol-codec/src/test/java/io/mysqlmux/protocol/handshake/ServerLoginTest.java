package io.mysqlmux.protocol.handshake;

import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MariaDbVectors;
import io.mysqlmux.protocol.auth.CachingSha2Password;
import io.mysqlmux.protocol.auth.NativePassword;
import io.mysqlmux.protocol.auth.Scramble;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerLoginTest {
    private static final byte[] APP_SECRET = "app-secret".getBytes(StandardCharsets.UTF_8);
    private static final Map<String, byte[]> USERS = Map.of(
            "app", NativePassword.storedHash(APP_SECRET),
            "nopass", NativePassword.storedHash(new byte[0]));
    private static final String HOST = "127.0.0.1";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"response_connect_attrs_ok.hex", "response_session_track_ok.hex", "connector_j_login.hex"})
    void capturedResponseWithTheRightPasswordLogsIn(String file) {
        Vector vector = MariaDbVectors.load("handshake/" + file);
        HandshakeV10 greeting = greeting(vector);
        ServerLogin login = new ServerLogin(greeting, USERS::get, HOST);
        byte[] response = vector.clientPackets().get(0);

        LoginStep.Done done = assertInstanceOf(LoginStep.Done.class, login.onPacket(MariaDbVectors.payload(response), 1));
        byte[] serverOk = vector.serverPackets().get(1);
        assertEquals(MariaDbVectors.sequenceId(serverOk), done.sequenceId(), "where the real server put its OK");
        assertEquals(ServerLogin.State.SUCCEEDED, login.state());

        LoginResult result = login.result();
        Capability client = MariaDbVectors.capabilities(vector);
        assertEquals("app", result.user());
        assertEquals("app", result.database());
        assertEquals(client, result.clientCapabilities());
        assertEquals(client.bits() & greeting.capabilities().bits(), result.capabilities().bits());
        assertEquals(HandshakeResponse41.read(MariaDbVectors.payload(response)).connectAttributes(),
                result.connectAttributes());
    }

    @Test
    void capturedWrongPasswordFailsWithTheServersOwnError() {
        Vector vector = MariaDbVectors.load("handshake/wrong_password_err_1045.hex");
        ServerLogin login = new ServerLogin(greeting(vector), USERS::get, HOST);
        LoginStep step = login.onPacket(MariaDbVectors.payload(vector.clientPackets().get(0)), 1);

        LoginStep.Failed failed = assertInstanceOf(LoginStep.Failed.class, step);
        byte[] serverErr = vector.serverPackets().get(1);
        assertEquals(MariaDbVectors.sequenceId(serverErr), failed.sequenceId());
        ByteBuf out = Unpooled.buffer();
        failed.error().write(out, Capability.of(Capability.CLIENT_PROTOCOL_41));
        assertArrayEquals(Arrays.copyOfRange(serverErr, 4, serverErr.length), ByteBufUtil.getBytes(out));
        assertEquals(ServerLogin.State.FAILED, login.state());
        assertNull(login.result());
    }

    /** MariaDB answers a caching_sha2_password response with a switch to native, reusing the scramble. */
    @Test
    void cachingSha2ResponseIsSwitchedToNativeLikeMariaDbDoes() {
        Vector vector = MariaDbVectors.load("handshake/auth_switch_caching_sha2_to_native.hex");
        List<byte[]> client = vector.clientPackets();
        List<byte[]> server = vector.serverPackets();
        ServerLogin login = new ServerLogin(greeting(vector), USERS::get, HOST);

        LoginStep.Send switchRequest = assertInstanceOf(LoginStep.Send.class,
                login.onPacket(MariaDbVectors.payload(client.get(0)), 1));
        assertEquals(MariaDbVectors.sequenceId(server.get(1)), switchRequest.sequenceId());
        assertArrayEquals(Arrays.copyOfRange(server.get(1), 4, server.get(1).length), bytes(switchRequest));
        assertEquals(ServerLogin.State.AWAITING_SWITCH_RESPONSE, login.state());

        LoginStep.Done done = assertInstanceOf(LoginStep.Done.class,
                login.onPacket(MariaDbVectors.payload(client.get(1)), MariaDbVectors.sequenceId(client.get(1))));
        assertEquals(MariaDbVectors.sequenceId(server.get(2)), done.sequenceId());
        assertEquals("app", login.user());
    }

    @Test
    void sslRequestIsRefusedWithHandshakeError() {
        Vector vector = MariaDbVectors.load("handshake/connector_j_login.hex");
        byte[] sslRequest = Arrays.copyOfRange(vector.clientPackets().get(0), 4, 4 + 32);
        sslRequest[1] |= (byte) (Capability.CLIENT_SSL >>> 8);
        ServerLogin login = new ServerLogin(greeting(vector), USERS::get, HOST);

        LoginStep.Failed failed = assertInstanceOf(LoginStep.Failed.class,
                login.onPacket(Unpooled.wrappedBuffer(sslRequest), 1));
        assertEquals(ErrorCode.ER_HANDSHAKE_ERROR.code(), failed.error().code());
        assertEquals("08S01", failed.error().sqlState());
        assertTrue(failed.error().message().contains("TLS"), failed.error().message());
        assertEquals(2, failed.sequenceId());
        assertThrows(IllegalStateException.class, () -> login.onPacket(Unpooled.wrappedBuffer(sslRequest), 3));
    }

    @Test
    void unreadableResponseIsABadHandshake() {
        byte[] cut = Arrays.copyOfRange(MariaDbVectors.load("handshake/connector_j_login.hex").clientPackets().get(0), 4, 40);
        ServerLogin login = new ServerLogin(greeting(MariaDbVectors.load("handshake/greeting.hex")), USERS::get, HOST);
        LoginStep.Failed failed = assertInstanceOf(LoginStep.Failed.class, login.onPacket(Unpooled.wrappedBuffer(cut), 1));
        assertEquals(1043, failed.error().code());
        assertTrue(failed.error().message().startsWith("Bad handshake: "), failed.error().message());
    }

    // ---- driven by ClientLogin ----

    @Test
    void clientLoginWithTheRightPasswordIsDone() {
        assertInstanceOf(LoginStep.Done.class, loginWith("app", APP_SECRET, NativePassword.PLUGIN_NAME));
    }

    @Test
    void clientLoginWithAWrongPasswordIsDenied() {
        LoginStep.Failed failed = assertInstanceOf(LoginStep.Failed.class,
                loginWith("app", "wrong-secret".getBytes(StandardCharsets.UTF_8), NativePassword.PLUGIN_NAME));
        assertEquals(1045, failed.error().code());
        assertEquals("28000", failed.error().sqlState());
        assertEquals("Access denied for user 'app'@'10.0.0.7' (using password: YES)", failed.error().message());
    }

    @Test
    void emptyPasswordWorksOnlyForUsersWithoutOne() {
        assertInstanceOf(LoginStep.Done.class, loginWith("nopass", new byte[0], NativePassword.PLUGIN_NAME));
        LoginStep.Failed failed = assertInstanceOf(LoginStep.Failed.class,
                loginWith("app", new byte[0], NativePassword.PLUGIN_NAME));
        assertTrue(failed.error().message().endsWith("(using password: NO)"), failed.error().message());
        assertInstanceOf(LoginStep.Failed.class, loginWith("nopass", APP_SECRET, NativePassword.PLUGIN_NAME));
    }

    @Test
    void unknownUserIsDeniedLikeAWrongPassword() {
        LoginStep.Failed failed = assertInstanceOf(LoginStep.Failed.class,
                loginWith("nobody", APP_SECRET, NativePassword.PLUGIN_NAME));
        assertEquals("Access denied for user 'nobody'@'10.0.0.7' (using password: YES)", failed.error().message());
    }

    /** A greeting naming caching_sha2_password makes ClientLogin answer with it; the switch brings it back. */
    @Test
    void clientLoginAnsweringWithCachingSha2IsSwitchedAndDone() {
        assertInstanceOf(LoginStep.Done.class, loginWith("app", APP_SECRET, CachingSha2Password.PLUGIN_NAME));
    }

    /** Runs ServerLogin against ClientLogin, passing only bytes between them; returns ServerLogin's last step. */
    private static LoginStep loginWith(String user, byte[] password, String greetingPlugin) {
        Capability offered = Capability.of(0x81fffffeL).without(Capability.CLIENT_SSL);
        HandshakeV10 greeting = new HandshakeV10("11.4.5-MariaDB", 77, Scramble.generate(new SecureRandom()), offered,
                45, ServerStatus.SERVER_STATUS_AUTOCOMMIT, greetingPlugin);
        ServerLogin server = new ServerLogin(greeting, USERS::get, "10.0.0.7");
        ClientLogin client = new ClientLogin(new ClientLogin.Settings(user, password, "app", 45,
                Capability.of(0x012ea20dL), Map.of(), false));
        ByteBuf wire = Unpooled.buffer();
        greeting.write(wire);
        LoginStep clientStep = client.onGreeting(wire, 0);
        int sequenceId = 1;
        for (int round = 0; round < 3; round++) {
            LoginStep.Send send = assertInstanceOf(LoginStep.Send.class, clientStep);
            assertEquals(sequenceId++, send.sequenceId(), "client packet");
            LoginStep serverStep = server.onPacket(Unpooled.wrappedBuffer(bytes(send)), send.sequenceId());
            assertEquals(sequenceId++, sequenceIdOf(serverStep), "server packet");
            if (!(serverStep instanceof LoginStep.Send serverSend)) {
                return serverStep;
            }
            clientStep = client.onPacket(Unpooled.wrappedBuffer(bytes(serverSend)), serverSend.sequenceId());
        }
        throw new AssertionError("login did not end after 3 rounds");
    }

    private static int sequenceIdOf(LoginStep step) {
        if (step instanceof LoginStep.Send send) {
            return send.sequenceId();
        }
        if (step instanceof LoginStep.Done done) {
            return done.sequenceId();
        }
        return assertInstanceOf(LoginStep.Failed.class, step).sequenceId();
    }

    private static HandshakeV10 greeting(Vector vector) {
        return HandshakeV10.read(MariaDbVectors.payload(vector.serverPackets().get(0)));
    }

    static byte[] bytes(LoginStep.Send send) {
        ByteBuf out = Unpooled.buffer();
        send.payload().write(out);
        return ByteBufUtil.getBytes(out);
    }
}
