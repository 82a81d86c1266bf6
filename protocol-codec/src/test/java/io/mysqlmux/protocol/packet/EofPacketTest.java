package io.mysqlmux.protocol.packet;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.MariaDbVectors;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EofPacketTest {

    /** Classic EOFs captured from MariaDB: index -1 is the last packet. Warnings come before status. */
    @ParameterizedTest(name = "{0} packet {1}")
    @CsvSource({
        "com_query/select_two_rows_classic_eof.hex,        4, 0x0002",
        "com_query/select_two_rows_classic_eof.hex,       -1, 0x0002",
        "com_query/select_300_rows_classic_eof.hex,       -1, 0x0022",
        "com_query/multi_statement_classic_eof.hex,        2, 0x000a",
        "com_query/multi_statement_classic_eof.hex,        4, 0x000a",
        "com_query/multi_statement_classic_eof.hex,       -1, 0x0002",
        "com_stmt_execute/execute_cursor_read_only_classic_eof.hex, -1, 0x0062",
        "com_stmt_fetch/fetch_two_rows_classic_eof.hex,   -1, 0x0042",
        "com_stmt_fetch/fetch_last_rows_classic_eof.hex,  -1, 0x0082",
        "com_set_option/multi_statements_on_classic_eof.hex, -1, 0x0002",
    })
    void capturedEofsReadAndWriteBackTheSameBytes(String file, int index, String status) {
        Capability caps = MariaDbVectors.capabilities(MariaDbVectors.load(file));
        byte[] payload = payload(file, index);
        assertEquals(EofPacket.PAYLOAD_LENGTH, payload.length);
        EofPacket eof = EofPacket.read(Unpooled.wrappedBuffer(payload), caps);
        assertEquals(0, eof.warnings());
        assertEquals(Integer.decode(status), eof.statusFlags());
        assertArrayEquals(payload, write(eof, caps));
    }

    @Test
    void statusFlagsSayWhatTheCursorAndMultiResultsDo() {
        Capability caps = Capability.of(Capability.CLIENT_PROTOCOL_41);
        EofPacket more = EofPacket.read(Unpooled.wrappedBuffer(payload("com_query/multi_statement_classic_eof.hex", 4)), caps);
        EofPacket cursor = EofPacket.read(
                Unpooled.wrappedBuffer(payload("com_stmt_fetch/fetch_two_rows_classic_eof.hex", -1)), caps);
        EofPacket last = EofPacket.read(
                Unpooled.wrappedBuffer(payload("com_stmt_fetch/fetch_last_rows_classic_eof.hex", -1)), caps);
        assertTrue(ServerStatus.moreResults(more.statusFlags()));
        assertTrue(ServerStatus.cursorExists(cursor.statusFlags()));
        assertFalse(ServerStatus.cursorExists(last.statusFlags()));
        assertTrue(ServerStatus.lastRowSent(last.statusFlags()));
    }

    @Test
    void warningsPrecedeStatusFlags() {
        byte[] bytes = write(new EofPacket(3, ServerStatus.SERVER_STATUS_AUTOCOMMIT), Capability.of(Capability.CLIENT_PROTOCOL_41));
        assertArrayEquals(new byte[] {(byte) 0xFE, 3, 0, 2, 0}, bytes);
    }

    @Test
    void withoutProtocol41AnEofIsOneByte() {
        Capability old = Capability.of(0);
        assertArrayEquals(new byte[] {(byte) 0xFE}, write(new EofPacket(3, 2), old));
        assertEquals(new EofPacket(0, 0), EofPacket.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFE}), old));
    }

    @Test
    void truncatedEofIsMalformed() {
        Capability caps = Capability.of(Capability.CLIENT_PROTOCOL_41);
        assertThrows(MalformedPacketException.class,
                () -> EofPacket.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFE, 0, 0}), caps));
    }

    private static byte[] payload(String file, int index) {
        List<byte[]> packets = MariaDbVectors.load(file).serverPackets();
        byte[] packet = packets.get(index < 0 ? packets.size() + index : index);
        return MariaDbVectors.joinedPayload(List.of(packet));
    }

    private static byte[] write(EofPacket eof, Capability caps) {
        ByteBuf out = Unpooled.buffer();
        eof.write(out, caps);
        return ByteBufUtil.getBytes(out);
    }
}
