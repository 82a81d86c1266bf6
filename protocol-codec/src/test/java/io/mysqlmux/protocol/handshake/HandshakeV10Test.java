package io.mysqlmux.protocol.handshake;

import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.MariaDbVectors;
import io.mysqlmux.protocol.auth.NativePassword;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeV10Test {
    private static final String VERSION = "11.4.5-MariaDB";

    @Test
    void capturedGreetingIsRead() {
        Vector vector = MariaDbVectors.load("handshake/greeting.hex");
        byte[] payload = greetingPayload(vector);
        HandshakeV10 greeting = HandshakeV10.read(Unpooled.wrappedBuffer(payload));

        assertEquals(VERSION, greeting.serverVersion());
        assertTrue(greeting.isMariaDb());
        int p = 1 + VERSION.length() + 1;
        assertEquals(6, greeting.connectionId());
        byte[] part1 = Arrays.copyOfRange(payload, p + 4, p + 12);
        byte[] part2 = Arrays.copyOfRange(payload, p + 31, p + 43);
        assertEquals(0, payload[p + 43], "part 2 ends with a NUL");
        assertArrayEquals(concat(part1, part2), greeting.scramble());
        assertEquals(20, greeting.scramble().length);

        long classic = MariaDbVectors.headerBits(vector, "server-capabilities");
        long extended = MariaDbVectors.headerBits(vector, "server-mariadb-capabilities");
        assertEquals(Capability.of(extended << 32 | classic), greeting.capabilities());
        assertTrue(greeting.capabilities().isMariaDbExtended());
        assertTrue(greeting.capabilities().has(Capability.MARIADB_CLIENT_STMT_BULK_OPERATIONS));
        assertEquals(8, greeting.collation(), "latin1_swedish_ci, the server default");
        assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, greeting.statusFlags());
        assertEquals(NativePassword.PLUGIN_NAME, greeting.authPluginName());
    }

    static Stream<String> handshakes() {
        return MariaDbVectors.in("handshake").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handshakes")
    void everyCapturedGreetingWritesBackTheSameBytes(String file) {
        byte[] payload = greetingPayload(MariaDbVectors.load(file));
        HandshakeV10 greeting = HandshakeV10.read(Unpooled.wrappedBuffer(payload));
        assertArrayEquals(payload, write(greeting));
        for (byte b : greeting.scramble()) {
            assertTrue(b >= 1, "MariaDB scrambles hold no NUL and no high bytes");
        }
    }

    @Test
    void mysqlFlavourWritesZeroReservedBytesAndReadsNoExtendedBits() {
        HandshakeV10 captured = HandshakeV10.read(Unpooled.wrappedBuffer(
                greetingPayload(MariaDbVectors.load("handshake/greeting.hex"))));
        Capability mysql = captured.capabilities().with(Capability.CLIENT_MYSQL);
        HandshakeV10 greeting = new HandshakeV10("8.4.3", 42, captured.scramble(), mysql, 255, 2,
                "caching_sha2_password");
        byte[] bytes = write(greeting);
        int reserved = 1 + "8.4.3".length() + 1 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1;
        assertArrayEquals(new byte[10], Arrays.copyOfRange(bytes, reserved, reserved + 10));
        assertEquals(21, bytes[reserved - 1], "auth-plugin-data length: 20 + NUL");

        HandshakeV10 back = HandshakeV10.read(Unpooled.wrappedBuffer(bytes));
        assertEquals(mysql.lowBits() & 0xFFFFFFFFL, back.capabilities().bits());
        assertFalse(back.isMariaDb());
        assertEquals(greeting.authPluginName(), back.authPluginName());
        assertArrayEquals(greeting.scramble(), back.scramble());
        assertEquals(255, back.collation());
    }

    @Test
    void writtenGreetingReadsBackEqual() {
        HandshakeV10 captured = HandshakeV10.read(Unpooled.wrappedBuffer(
                greetingPayload(MariaDbVectors.load("handshake/connector_j_login.hex"))));
        HandshakeV10 back = HandshakeV10.read(Unpooled.wrappedBuffer(write(captured)));
        assertEquals(captured.serverVersion(), back.serverVersion());
        assertEquals(captured.connectionId(), back.connectionId());
        assertArrayEquals(captured.scramble(), back.scramble());
        assertEquals(captured.capabilities(), back.capabilities());
        assertEquals(captured.statusFlags(), back.statusFlags());
    }

    @Test
    void otherProtocolVersionIsMalformed() {
        byte[] payload = greetingPayload(MariaDbVectors.load("handshake/greeting.hex"));
        payload[0] = 9;
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> HandshakeV10.read(Unpooled.wrappedBuffer(payload)));
        assertTrue(e.getMessage().startsWith("protocol_version: 9"), e.getMessage());
    }

    @Test
    void greetingCutInsideTheReservedBytesIsMalformed() {
        byte[] payload = greetingPayload(MariaDbVectors.load("handshake/greeting.hex"));
        byte[] cut = Arrays.copyOf(payload, 1 + VERSION.length() + 1 + 20);
        assertThrows(MalformedPacketException.class, () -> HandshakeV10.read(Unpooled.wrappedBuffer(cut)));
    }

    static byte[] greetingPayload(Vector vector) {
        byte[] greeting = vector.serverPackets().get(0);
        assertEquals(0, MariaDbVectors.sequenceId(greeting));
        return Arrays.copyOfRange(greeting, 4, greeting.length);
    }

    private static byte[] write(HandshakeV10 greeting) {
        ByteBuf out = Unpooled.buffer();
        greeting.write(out);
        return ByteBufUtil.getBytes(out);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
