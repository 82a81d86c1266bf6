package io.mysqlmux.protocol.handshake;

import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.MariaDbVectors;
import io.mysqlmux.protocol.auth.CachingSha2Password;
import io.mysqlmux.protocol.auth.NativePassword;
import io.mysqlmux.protocol.wire.Capability;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeResponse41Test {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"auth_switch_caching_sha2_to_native.hex", "connector_j_login.hex",
        "response_connect_attrs_ok.hex", "response_session_track_ok.hex", "wrong_password_err_1045.hex"})
    void capturedResponsesReadAndWriteBackTheSameBytes(String file) {
        Vector vector = MariaDbVectors.load("handshake/" + file);
        byte[] payload = responsePayload(vector);
        HandshakeResponse41 response = HandshakeResponse41.read(Unpooled.wrappedBuffer(payload));
        assertEquals(MariaDbVectors.capabilities(vector), response.capabilities());
        assertEquals("app", response.user());
        assertEquals("app", response.database(), "every capture connects with database app");
        int tokenLength = response.authPluginName().equals(CachingSha2Password.PLUGIN_NAME) ? 32 : 20;
        assertEquals(tokenLength, response.authResponse().length);
        assertFalse(HandshakeResponse41.isSslRequest(Unpooled.wrappedBuffer(payload)));
        assertArrayEquals(payload, write(response));
    }

    @Test
    void connectorJResponseCarriesItsAttributesInOrder() {
        HandshakeResponse41 response = read("connector_j_login.hex");
        assertEquals(0xFFFFFF, response.maxPacketSize());
        assertEquals(255, response.collation(), "utf8mb4_0900_ai_ci, even against MariaDB");
        assertEquals(NativePassword.PLUGIN_NAME, response.authPluginName());
        assertFalse(response.capabilities().has(Capability.CLIENT_MYSQL), "Connector/J clears bit 0");
        assertEquals(0, response.capabilities().extendedBits());
        assertEquals(List.of("_runtime_version", "_client_version", "_client_license", "_runtime_vendor",
                "_client_name"), new ArrayList<>(response.connectAttributes().keySet()));
        assertEquals("MySQL Connector/J", response.connectAttributes().get("_client_name"));
        assertEquals("9.7.0", response.connectAttributes().get("_client_version"));
    }

    @Test
    void recorderResponseNamesItsAttributesAndPlugin() {
        HandshakeResponse41 response = read("response_connect_attrs_ok.hex");
        assertEquals(Map.of("_client_name", "mysqlmux-vector-recorder", "_client_version", "1"),
                response.connectAttributes());
        assertEquals(45, response.collation());
        assertEquals(NativePassword.PLUGIN_NAME, response.authPluginName());
        assertEquals(Map.of(), read("wrong_password_err_1045.hex").connectAttributes(), "no CONNECT_ATTRS");
    }

    @Test
    void optionalFieldsFollowTheCapabilitiesWritten() {
        HandshakeResponse41 captured = read("response_connect_attrs_ok.hex");
        Capability plain = captured.capabilities().without(Capability.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
                | Capability.CLIENT_CONNECT_WITH_DB | Capability.CLIENT_CONNECT_ATTRS);
        HandshakeResponse41 narrower = new HandshakeResponse41(plain, captured.maxPacketSize(), captured.collation(),
                captured.user(), captured.authResponse(), captured.database(), captured.authPluginName(),
                captured.connectAttributes());
        byte[] bytes = write(narrower);
        int afterUser = 32 + "app".length() + 1;
        assertEquals(20, bytes[afterUser], "1-byte auth length (SECURE_CONNECTION)");

        HandshakeResponse41 back = HandshakeResponse41.read(Unpooled.wrappedBuffer(bytes));
        assertArrayEquals(captured.authResponse(), back.authResponse());
        assertNull(back.database());
        assertEquals(NativePassword.PLUGIN_NAME, back.authPluginName());
        assertEquals(Map.of(), back.connectAttributes());
    }

    @Test
    void mariaDbExtendedBitsTravelInTheFillerOnlyWithBit0Clear() {
        HandshakeResponse41 captured = read("response_connect_attrs_ok.hex");
        Capability extended = captured.capabilities().without(Capability.CLIENT_MYSQL)
                .with(Capability.MARIADB_CLIENT_STMT_BULK_OPERATIONS);
        byte[] bytes = write(withCapabilities(captured, extended));
        assertEquals(Capability.MARIADB_CLIENT_STMT_BULK_OPERATIONS >>> 32, bytes[28]);
        assertEquals(extended, HandshakeResponse41.read(Unpooled.wrappedBuffer(bytes)).capabilities());

        Capability mysql = extended.with(Capability.CLIENT_MYSQL);
        byte[] mysqlBytes = write(withCapabilities(captured, mysql));
        assertArrayEquals(new byte[23], Arrays.copyOfRange(mysqlBytes, 9, 32));
        assertEquals(mysql.lowBits() & 0xFFFFFFFFL,
                HandshakeResponse41.read(Unpooled.wrappedBuffer(mysqlBytes)).capabilities().bits());
    }

    /** An SSLRequest is the first 32 bytes of a response, with CLIENT_SSL. */
    @Test
    void sslRequestIsThirtyTwoBytesWithClientSsl() {
        byte[] payload = responsePayload(MariaDbVectors.load("handshake/connector_j_login.hex"));
        byte[] sslRequest = Arrays.copyOf(payload, HandshakeResponse41.SSL_REQUEST_LENGTH);
        assertFalse(HandshakeResponse41.isSslRequest(Unpooled.wrappedBuffer(sslRequest)), "no CLIENT_SSL yet");
        sslRequest[1] |= (byte) (Capability.CLIENT_SSL >>> 8);
        assertTrue(HandshakeResponse41.isSslRequest(Unpooled.wrappedBuffer(sslRequest)));
    }

    @Test
    void responseWithoutProtocol41IsMalformed() {
        byte[] payload = responsePayload(MariaDbVectors.load("handshake/wrong_password_err_1045.hex"));
        payload[1] &= (byte) ~(Capability.CLIENT_PROTOCOL_41 >>> 8);
        assertThrows(MalformedPacketException.class, () -> HandshakeResponse41.read(Unpooled.wrappedBuffer(payload)));
    }

    @Test
    void responseCutInsideTheTokenIsMalformed() {
        byte[] payload = responsePayload(MariaDbVectors.load("handshake/wrong_password_err_1045.hex"));
        byte[] cut = Arrays.copyOf(payload, 32 + 4 + 1 + 10);
        assertThrows(MalformedPacketException.class, () -> HandshakeResponse41.read(Unpooled.wrappedBuffer(cut)));
    }

    static byte[] responsePayload(Vector vector) {
        byte[] response = vector.clientPackets().get(0);
        assertEquals(1, MariaDbVectors.sequenceId(response));
        return Arrays.copyOfRange(response, 4, response.length);
    }

    private static HandshakeResponse41 read(String file) {
        return HandshakeResponse41.read(Unpooled.wrappedBuffer(responsePayload(MariaDbVectors.load("handshake/" + file))));
    }

    private static HandshakeResponse41 withCapabilities(HandshakeResponse41 r, Capability caps) {
        return new HandshakeResponse41(caps, r.maxPacketSize(), r.collation(), r.user(), r.authResponse(), r.database(),
                r.authPluginName(), r.connectAttributes());
    }

    private static byte[] write(HandshakeResponse41 response) {
        ByteBuf out = Unpooled.buffer();
        response.write(out);
        return ByteBufUtil.getBytes(out);
    }
}
