package io.mysqlmux.protocol.handshake;

import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MariaDbVectors;
import io.mysqlmux.protocol.auth.CachingSha2Password;
import io.mysqlmux.protocol.auth.NativePassword;
import io.mysqlmux.protocol.auth.Scramble;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.packet.SessionStateChanges;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.mysqlmux.protocol.MariaDbVectors.payload;
import static io.mysqlmux.protocol.MariaDbVectors.sequenceId;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientLoginTest {
    private static final Map<String, String> RECORDER_ATTRIBUTES =
            Map.of("_client_name", "mysqlmux-vector-recorder", "_client_version", "1");

    /** Replays the captured server side; what ClientLogin sends must be what the protocol asks for. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"response_connect_attrs_ok.hex", "response_session_track_ok.hex", "connector_j_login.hex"})
    void capturedLoginSendsTheNegotiatedResponseAndEndsWithTheOk(String file) {
        Vector vector = MariaDbVectors.load("handshake/" + file);
        Capability wanted = MariaDbVectors.capabilities(vector);
        ClientLogin login = new ClientLogin(settings("app-secret", wanted));
        List<byte[]> server = vector.serverPackets();
        HandshakeV10 greeting = HandshakeV10.read(payload(server.get(0)));

        LoginStep.Send send = assertInstanceOf(LoginStep.Send.class, login.onGreeting(payload(server.get(0)), 0));
        assertEquals(1, send.sequenceId());
        HandshakeResponse41 response = HandshakeResponse41.read(Unpooled.wrappedBuffer(ServerLoginTest.bytes(send)));
        for (int bit = 0; bit < 64; bit++) {
            long flag = 1L << bit;
            assertEquals(wanted.has(flag) && greeting.capabilities().has(flag), response.capabilities().has(flag),
                    "capability bit " + bit);
        }
        assertEquals(response.capabilities(), login.negotiated());
        assertEquals("app", response.user());
        assertEquals("app", response.database());
        assertEquals(NativePassword.PLUGIN_NAME, response.authPluginName());
        assertTrue(NativePassword.verify(NativePassword.storedHash(bytes("app-secret")), greeting.scramble(),
                response.authResponse()));
        assertEquals(wanted.has(Capability.CLIENT_CONNECT_ATTRS) ? RECORDER_ATTRIBUTES : Map.of(),
                response.connectAttributes());

        byte[] ok = server.get(1);
        LoginStep.Done done = assertInstanceOf(LoginStep.Done.class, login.onPacket(payload(ok), sequenceId(ok)));
        assertEquals(2, done.sequenceId());
        assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT,
                login.ok().statusFlags() & ~ServerStatus.SERVER_SESSION_STATE_CHANGED);
        assertTrue(login.ok().infoText().matches("\u0001[0-9A-F]{64}"), "zero-configuration TLS fingerprint");
    }

    @Test
    void tokenEqualsTheOneTheRecorderComputed() {
        Vector vector = MariaDbVectors.load("handshake/response_connect_attrs_ok.hex");
        ClientLogin login = new ClientLogin(settings("app-secret", MariaDbVectors.capabilities(vector)));
        LoginStep.Send send = (LoginStep.Send) login.onGreeting(payload(vector.serverPackets().get(0)), 0);
        HandshakeResponse41 ours = HandshakeResponse41.read(Unpooled.wrappedBuffer(ServerLoginTest.bytes(send)));
        HandshakeResponse41 recorded = HandshakeResponse41.read(payload(vector.clientPackets().get(0)));
        assertArrayEquals(recorded.authResponse(), ours.authResponse());
    }

    @Test
    void sessionStateOfTheLoginOkIsKept() {
        Vector vector = MariaDbVectors.load("handshake/response_session_track_ok.hex");
        ClientLogin login = new ClientLogin(settings("app-secret", MariaDbVectors.capabilities(vector)));
        login.onGreeting(payload(vector.serverPackets().get(0)), 0);
        login.onPacket(payload(vector.serverPackets().get(1)), 2);
        assertEquals("app", SessionStateChanges.parse(login.ok().sessionState()).schema());
    }

    @Test
    void authSwitchIsAnsweredWithTheRecordersNativeToken() {
        Vector vector = MariaDbVectors.load("handshake/auth_switch_caching_sha2_to_native.hex");
        List<byte[]> server = vector.serverPackets();
        List<byte[]> client = vector.clientPackets();
        ClientLogin login = new ClientLogin(settings("app-secret", MariaDbVectors.capabilities(vector)));
        login.onGreeting(payload(server.get(0)), 0);

        byte[] switchRequest = server.get(1);
        AuthSwitchRequest request = AuthSwitchRequest.read(payload(switchRequest));
        LoginStep.Send send = assertInstanceOf(LoginStep.Send.class,
                login.onPacket(payload(switchRequest), sequenceId(switchRequest)));
        assertEquals(sequenceId(client.get(1)), send.sequenceId());
        byte[] token = ServerLoginTest.bytes(send);
        assertArrayEquals(Arrays.copyOfRange(client.get(1), 4, client.get(1).length), token);
        assertTrue(NativePassword.verify(NativePassword.storedHash(bytes("app-secret")), request.scramble(), token));

        byte[] ok = server.get(2);
        assertEquals(4, assertInstanceOf(LoginStep.Done.class, login.onPacket(payload(ok), sequenceId(ok))).sequenceId());
    }

    @Test
    void wrongPasswordEndsWithTheServersError() {
        Vector vector = MariaDbVectors.load("handshake/wrong_password_err_1045.hex");
        ClientLogin login = new ClientLogin(settings("wrong-secret", MariaDbVectors.capabilities(vector)));
        LoginStep.Send send = (LoginStep.Send) login.onGreeting(payload(vector.serverPackets().get(0)), 0);
        HandshakeResponse41 recorded = HandshakeResponse41.read(payload(vector.clientPackets().get(0)));
        assertArrayEquals(recorded.authResponse(),
                HandshakeResponse41.read(Unpooled.wrappedBuffer(ServerLoginTest.bytes(send))).authResponse());

        byte[] err = vector.serverPackets().get(1);
        LoginStep.Failed failed = assertInstanceOf(LoginStep.Failed.class, login.onPacket(payload(err), sequenceId(err)));
        assertEquals(1045, failed.error().code());
        assertEquals("Access denied for user 'app'@'127.0.0.1' (using password: YES)", failed.error().message());
    }

    @Test
    void withoutDatabaseConnectWithDbIsNotNegotiated() {
        Vector vector = MariaDbVectors.load("handshake/greeting.hex");
        Capability wanted = Capability.of(0x012ea20dL);
        ClientLogin login = new ClientLogin(new ClientLogin.Settings("app", bytes("app-secret"), null, 45, wanted,
                Map.of(), false));
        LoginStep.Send send = (LoginStep.Send) login.onGreeting(payload(vector.serverPackets().get(0)), 0);
        HandshakeResponse41 response = HandshakeResponse41.read(Unpooled.wrappedBuffer(ServerLoginTest.bytes(send)));
        assertFalse(response.capabilities().has(Capability.CLIENT_CONNECT_WITH_DB));
        assertNull(response.database());
    }

    @Test
    void errorInsteadOfAGreetingFailsTheLogin() {
        ByteBuf err = Unpooled.buffer();
        ErrPacket.of(ErrorCode.ER_CON_COUNT_ERROR, "Too many connections").write(err, null);
        ClientLogin login = new ClientLogin(settings("app-secret", Capability.of(0x012ea20dL)));
        LoginStep.Failed failed = assertInstanceOf(LoginStep.Failed.class, login.onGreeting(err, 0));
        assertEquals(1040, failed.error().code());
        assertThrows(IllegalStateException.class, () -> login.onGreeting(err, 0));
    }

    @Test
    void switchToAnUnsupportedPluginFails() {
        ClientLogin login = started(NativePassword.PLUGIN_NAME, Scramble.generate(new SecureRandom()));
        ByteBuf request = Unpooled.buffer();
        new AuthSwitchRequest("client_ed25519", new byte[32]).write(request);
        LoginStep.Failed failed = assertInstanceOf(LoginStep.Failed.class, login.onPacket(request, 2));
        assertEquals(ErrorCode.ER_NOT_SUPPORTED_AUTH_MODE.code(), failed.error().code());
    }

    // ---- caching_sha2_password (MySQL 8); MariaDB never asks for it, so the server packets are built here ----

    @Test
    void cachingSha2FastPathWaitsForTheOkAfterFastAuthSuccess() {
        byte[] nonce = Scramble.generate(new SecureRandom());
        ClientLogin login = new ClientLogin(settings("app-secret", Capability.of(0x012ea20dL)));
        LoginStep.Send send = (LoginStep.Send) login.onGreeting(greeting(CachingSha2Password.PLUGIN_NAME, nonce), 0);
        HandshakeResponse41 response = HandshakeResponse41.read(Unpooled.wrappedBuffer(ServerLoginTest.bytes(send)));
        assertEquals(CachingSha2Password.PLUGIN_NAME, response.authPluginName());
        assertArrayEquals(CachingSha2Password.token(bytes("app-secret"), nonce), response.authResponse());

        assertInstanceOf(LoginStep.Await.class, login.onPacket(Unpooled.wrappedBuffer(new byte[] {1, 3}), 2));
        byte[] ok = {0, 0, 0, 2, 0, 0, 0};
        assertEquals(3, assertInstanceOf(LoginStep.Done.class, login.onPacket(Unpooled.wrappedBuffer(ok), 3)).sequenceId());
    }

    @Test
    void cachingSha2FullAuthenticationSendsThePlaintextOnlyOverTls() {
        ClientLogin tls = new ClientLogin(new ClientLogin.Settings("app", bytes("app-secret"), "app", 45,
                Capability.of(0x012ea20dL), Map.of(), true));
        tls.onGreeting(greeting(CachingSha2Password.PLUGIN_NAME, Scramble.generate(new SecureRandom())), 0);
        LoginStep.Send send = assertInstanceOf(LoginStep.Send.class,
                tls.onPacket(Unpooled.wrappedBuffer(new byte[] {1, 4}), 2));
        assertEquals(3, send.sequenceId());
        assertArrayEquals(bytes("app-secret\0"), ServerLoginTest.bytes(send));
    }

    @Test
    void cachingSha2FullAuthenticationOnPlainTcpEncryptsWithTheServersKey() throws Exception {
        byte[] nonce = Scramble.generate(new SecureRandom());
        ClientLogin login = started(CachingSha2Password.PLUGIN_NAME, nonce);
        LoginStep.Send keyRequest = (LoginStep.Send) login.onPacket(Unpooled.wrappedBuffer(new byte[] {1, 4}), 2);
        assertArrayEquals(new byte[] {CachingSha2Password.REQUEST_PUBLIC_KEY}, ServerLoginTest.bytes(keyRequest));
        assertEquals(3, keyRequest.sequenceId());

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        ByteBuf moreData = Unpooled.buffer().writeByte(1).writeBytes(bytes(pem));
        LoginStep.Send encrypted = (LoginStep.Send) login.onPacket(moreData, 4);
        assertEquals(5, encrypted.sequenceId());

        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        cipher.init(Cipher.DECRYPT_MODE, keys.getPrivate());
        byte[] plain = cipher.doFinal(ServerLoginTest.bytes(encrypted));
        byte[] expected = bytes("app-secret\0");
        for (int i = 0; i < expected.length; i++) {
            expected[i] ^= nonce[i % nonce.length];
        }
        assertArrayEquals(expected, plain);
    }

    // ---- helpers ----

    private static ClientLogin.Settings settings(String password, Capability wanted) {
        return new ClientLogin.Settings("app", bytes(password), "app", 45, wanted, RECORDER_ATTRIBUTES, false);
    }

    /** A ClientLogin that answered a greeting naming {@code plugin}, on plain TCP. */
    private static ClientLogin started(String plugin, byte[] nonce) {
        ClientLogin login = new ClientLogin(settings("app-secret", Capability.of(0x012ea20dL)));
        login.onGreeting(greeting(plugin, nonce), 0);
        return login;
    }

    private static ByteBuf greeting(String plugin, byte[] nonce) {
        Capability mysql = Capability.of(0xdfffffffL).without(Capability.CLIENT_SSL);
        ByteBuf out = Unpooled.buffer();
        new HandshakeV10("8.4.3", 9, nonce, mysql, 255, ServerStatus.SERVER_STATUS_AUTOCOMMIT, plugin).write(out);
        return out;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
