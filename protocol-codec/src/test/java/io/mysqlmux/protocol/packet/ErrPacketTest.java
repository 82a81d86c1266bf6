package io.mysqlmux.protocol.packet;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.MariaDbVectors;
import io.mysqlmux.protocol.wire.Capability;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrPacketTest {
    private static final Capability PROTOCOL_41 = Capability.of(Capability.CLIENT_PROTOCOL_41);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "com_query/syntax_error_err_1064.hex | ER_PARSE_ERROR | You have an error in your SQL syntax; check the manual"
                + " that corresponds to your MariaDB server version for the right syntax to use near 'SELEC 1' at line 1",
        "com_init_db/init_db_unknown_db_err_1049.hex | ER_BAD_DB_ERROR | Unknown database 'no_such_db'",
        "handshake/wrong_password_err_1045.hex | ER_ACCESS_DENIED_ERROR"
                + " | Access denied for user 'app'@'127.0.0.1' (using password: YES)",
    })
    void capturedErrorsReadAndWriteBackTheSameBytes(String file, ErrorCode expected, String message) {
        byte[] payload = lastServerPayload(file);
        ErrPacket err = ErrPacket.read(Unpooled.wrappedBuffer(payload));
        assertEquals(expected.code(), err.code());
        assertEquals(expected.sqlState(), err.sqlState());
        assertEquals(message, err.message());
        assertArrayEquals(payload, write(err, PROTOCOL_41));
        assertArrayEquals(payload, write(ErrPacket.of(expected, message), PROTOCOL_41), "from the catalogue");
    }

    /** An ERR sent before capabilities are known (e.g. 1040 instead of a greeting) may lack '#' + SQLSTATE. */
    @Test
    void errorWithoutSqlStateMarkerReadsAsHy000() {
        byte[] captured = lastServerPayload("com_init_db/init_db_unknown_db_err_1049.hex");
        byte[] withoutState = new byte[captured.length - 6];
        System.arraycopy(captured, 0, withoutState, 0, 3);
        System.arraycopy(captured, 9, withoutState, 3, captured.length - 9);
        ErrPacket err = ErrPacket.read(Unpooled.wrappedBuffer(withoutState));
        assertEquals(1049, err.code());
        assertEquals("HY000", err.sqlState());
        assertEquals("Unknown database 'no_such_db'", err.message());
        assertArrayEquals(withoutState, write(err, Capability.of(0)), "no PROTOCOL_41: no SQLSTATE");
    }

    @Test
    void errorBeforeCapabilitiesAreKnownIsWrittenWithSqlState() {
        ErrPacket err = ErrPacket.of(ErrorCode.ER_CON_COUNT_ERROR, "Too many connections");
        byte[] bytes = write(err, null);
        assertEquals("ff 10 04 23 30 38 30 30 34", hex(Arrays.copyOf(bytes, 9)));
        assertEquals("Too many connections", new String(bytes, 9, bytes.length - 9, StandardCharsets.UTF_8));
    }

    @Test
    void truncatedErrorIsMalformed() {
        assertThrows(MalformedPacketException.class, () -> ErrPacket.read(Unpooled.wrappedBuffer(new byte[] {-1, 0x19})));
    }

    @Test
    void sqlStateClass08MarksConnectionErrors() {
        assertTrue(ErrPacket.of(ErrorCode.ER_NET_PACKETS_OUT_OF_ORDER, "x").isConnectionClass());
        assertTrue(ErrPacket.of(ErrorCode.ER_CON_COUNT_ERROR, "x").isConnectionClass());
        assertFalse(ErrPacket.of(ErrorCode.ER_BAD_DB_ERROR, "x").isConnectionClass());
        assertFalse(ErrPacket.of(ErrorCode.ER_ACCESS_DENIED_ERROR, "x").isConnectionClass());
    }

    @Test
    void toStringLooksLikeTheMysqlClient() {
        ErrPacket err = ErrPacket.read(Unpooled.wrappedBuffer(lastServerPayload("com_init_db/init_db_unknown_db_err_1049.hex")));
        assertEquals("ERROR 1049 (42000): Unknown database 'no_such_db'", err.toString());
    }

    private static byte[] lastServerPayload(String file) {
        List<byte[]> packets = MariaDbVectors.load(file).serverPackets();
        return MariaDbVectors.joinedPayload(packets.subList(packets.size() - 1, packets.size()));
    }

    private static byte[] write(ErrPacket err, Capability caps) {
        ByteBuf out = Unpooled.buffer();
        err.write(out, caps);
        return ByteBufUtil.getBytes(out);
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(text.length() == 0 ? "" : " ").append(String.format("%02x", b));
        }
        return text.toString();
    }
}
