package io.mysqlmux.protocol.wire;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.MariaDbVectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MysqlBufTest {

    /** Encodings from the protocol's table of int&lt;lenenc&gt; ranges, at each boundary. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "0,          00",
        "250,        fa",
        "251,        fcfb00",
        "65535,      fcffff",
        "65536,      fd000001",
        "16777215,   fdffffff",
        "16777216,   fe0000000100000000",
        "4294967296, fe0000000001000000",
    })
    void lenEncIntBoundariesEncodeAsTheSpecSays(long value, String hex) {
        byte[] wire = ByteBufUtil.decodeHexDump(hex);
        ByteBuf out = Unpooled.buffer();
        MysqlBuf.writeLenEncInt(out, value);
        assertArrayEquals(wire, ByteBufUtil.getBytes(out));
        assertEquals(wire.length, MysqlBuf.lenEncIntSize(value));

        ByteBuf in = Unpooled.wrappedBuffer(wire);
        assertEquals(value, MysqlBuf.readLenEncInt(in));
        assertFalse(in.isReadable());
    }

    @ParameterizedTest(name = "{0} at offset 3")
    @ValueSource(longs = {250, 251, 0xFFFF, 0x10000, 0xFFFFFF, 0x1000000})
    void lenEncIntPeekDoesNotMoveTheReaderIndex(long value) {
        ByteBuf buf = Unpooled.buffer().writeBytes(new byte[] {9, 9, 9});
        MysqlBuf.writeLenEncInt(buf, value);
        buf.readerIndex(1);
        assertEquals(value, MysqlBuf.getLenEncInt(buf, 3));
        assertEquals(MysqlBuf.lenEncIntSize(value), MysqlBuf.sizeOfLenEncInt(buf.getUnsignedByte(3)));
        assertEquals(1, buf.readerIndex());
    }

    @Test
    void capturedAffectedRowsAndInsertIdAreLenEnc() {
        // OK of "INSERT ... AUTO_INCREMENT = 300": affected 1, last_insert_id 300 = fc 2c 01
        byte[] ok = MariaDbVectors.load("com_query/insert_last_insert_id_300.hex").serverBytes();
        ByteBuf payload = MariaDbVectors.payload(ok).skipBytes(1);
        assertEquals(1, MysqlBuf.readLenEncInt(payload));
        assertEquals(3, MysqlBuf.sizeOfLenEncInt(payload.getUnsignedByte(payload.readerIndex())));
        assertEquals(300, MysqlBuf.readLenEncInt(payload));
    }

    @ParameterizedTest(name = "0x{0}")
    @ValueSource(strings = {"fb", "ff"})
    void nullMarkerAndErrHeaderAreNotNumbers(String hex) {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex + "00"));
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> MysqlBuf.readLenEncInt(buf));
        assertTrue(e.getMessage().startsWith("int<lenenc>: 0x" + hex), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "fc01", "fd0102", "fe01020304050607"})
    void truncatedLenEncIntIsMalformed(String hex) {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        assertThrows(MalformedPacketException.class, () -> MysqlBuf.readLenEncInt(buf));
    }

    @Test
    void lenEncStringLongerThanTheBufferIsMalformed() {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("05616263"));
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> MysqlBuf.readLenEncString(buf, StandardCharsets.UTF_8));
        assertTrue(e.getMessage().startsWith("str<lenenc>: missing"), e.getMessage());
    }

    @Test
    void lenEncStringsRoundTripIncludingEmptyAndLong() {
        ByteBuf buf = Unpooled.buffer();
        String longValue = "x".repeat(300);
        MysqlBuf.writeLenEncString(buf, "", StandardCharsets.UTF_8);
        MysqlBuf.writeLenEncString(buf, "latin1", StandardCharsets.UTF_8);
        MysqlBuf.writeLenEncString(buf, longValue, StandardCharsets.UTF_8);
        assertEquals(1 + 7 + 3 + 300, buf.readableBytes());
        assertEquals("", MysqlBuf.readLenEncString(buf, StandardCharsets.UTF_8));
        assertArrayEquals("latin1".getBytes(StandardCharsets.US_ASCII), MysqlBuf.readLenEncBytes(buf));
        assertEquals(longValue, MysqlBuf.readLenEncString(buf, StandardCharsets.UTF_8));
        assertFalse(buf.isReadable());
    }

    @Test
    void nulStringsOfTheCapturedGreetingAreRead() {
        byte[] greeting = MariaDbVectors.load("handshake/greeting.hex").serverBytes();
        ByteBuf payload = MariaDbVectors.payload(greeting).skipBytes(1);
        assertEquals("11.4.5-MariaDB", MysqlBuf.readNulString(payload, StandardCharsets.UTF_8));
        assertEquals(6, payload.readUnsignedIntLE(), "the byte after the NUL is the connection id");
    }

    @Test
    void emptyNulStringIsJustTheTerminator() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {0, 'a', 0});
        assertArrayEquals(new byte[0], MysqlBuf.readNulBytes(buf));
        assertEquals("a", MysqlBuf.readNulString(buf, StandardCharsets.UTF_8));
        assertFalse(buf.isReadable());
    }

    @Test
    void nulStringWithoutTerminatorIsMalformed() {
        ByteBuf buf = Unpooled.wrappedBuffer("app".getBytes(StandardCharsets.US_ASCII));
        assertThrows(MalformedPacketException.class, () -> MysqlBuf.readNulString(buf, StandardCharsets.UTF_8));
        assertEquals(0, buf.readerIndex());
    }

    @Test
    void nulStringIsWrittenWithItsTerminator() {
        ByteBuf buf = Unpooled.buffer();
        MysqlBuf.writeNulString(buf, "mysql_native_password", StandardCharsets.UTF_8);
        byte[] greeting = MariaDbVectors.load("handshake/greeting.hex").serverBytes();
        int pluginStart = greeting.length - buf.readableBytes();
        assertEquals(buf, Unpooled.wrappedBuffer(greeting, pluginStart, buf.readableBytes()));
    }

    @Test
    void restOfThePayloadIsStrEof() {
        byte[] statistics = MariaDbVectors.load("com_statistics/statistics.hex").serverBytes();
        ByteBuf payload = MariaDbVectors.payload(statistics);
        String text = MysqlBuf.readRestString(payload, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Uptime: ") && text.endsWith("Queries per second avg: 5.846"), text);
        assertFalse(payload.isReadable());
        assertArrayEquals(new byte[0], MysqlBuf.readRestBytes(payload));
    }

    @Test
    void fixedLengthUtf8AndRequireReadableCheckTheLength() {
        ByteBuf buf = Unpooled.wrappedBuffer("#42000".getBytes(StandardCharsets.US_ASCII)).skipBytes(1);
        assertEquals("42000", MysqlBuf.readUtf8(buf, 5));
        assertThrows(MalformedPacketException.class, () -> MysqlBuf.readUtf8(buf, 1));
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> MysqlBuf.requireReadable(Unpooled.wrappedBuffer(new byte[2]), 4, "status_flags"));
        assertEquals("status_flags: missing (expected: 4 more bytes at offset 0, have 2)", e.getMessage());
    }
}
