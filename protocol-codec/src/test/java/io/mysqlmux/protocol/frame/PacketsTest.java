package io.mysqlmux.protocol.frame;

import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MariaDbVectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketsTest {

    /** A frame in the middle of a larger buffer: every peek is relative to its reader index. */
    @Test
    void peeksReadTheFrameAtTheReaderIndexWithoutMovingIt() {
        Vector vector = MariaDbVectors.load("com_query/select_two_rows_deprecate_eof.hex");
        byte[] wire = vector.serverBytes();
        List<byte[]> packets = vector.serverPackets();
        int offset = packets.get(0).length;
        byte[] definition = packets.get(1);
        ByteBuf frame = Unpooled.wrappedBuffer(wire).readerIndex(offset);

        assertEquals(definition.length - 4, Packets.payloadLength(frame));
        assertEquals(2, Packets.sequenceId(frame));
        assertEquals(0x03, Packets.firstByte(frame), "column definition: lenenc \"def\"");
        assertEquals(offset + 4 + 1, Packets.payloadIndex(frame, 1));
        assertEquals('d', frame.getByte(Packets.payloadIndex(frame, 1)));
        assertArrayEquals(MariaDbVectors.joinedPayload(List.of(definition)), ByteBufUtil.getBytes(Packets.payload(frame)));
        assertFalse(Packets.isContinued(frame));
        assertEquals(offset, frame.readerIndex());
    }

    @Test
    void fullFrameIsContinuedAndItsEmptyTrailerHasNoFirstByte() {
        List<byte[]> server = MariaDbVectors.load("com_query/select_row_payload_0xffffff.hex").serverPackets();
        ByteBuf full = MariaDbVectors.frame(server.get(2));
        ByteBuf trailer = MariaDbVectors.frame(server.get(3));
        assertEquals(Packets.MAX_PAYLOAD, Packets.payloadLength(full));
        assertTrue(Packets.isContinued(full));
        assertEquals(0, Packets.payloadLength(trailer));
        assertFalse(Packets.isContinued(trailer));
        assertEquals(-1, Packets.firstByte(trailer));
        assertEquals(4, Packets.sequenceId(trailer));
    }

    @Test
    void oneByteShortOfMaxIsNotContinued() {
        List<byte[]> server = MariaDbVectors.load("com_query/select_row_payload_0xfffffe.hex").serverPackets();
        ByteBuf row = MariaDbVectors.frame(server.get(2));
        assertEquals(0xFFFFFE, Packets.payloadLength(row));
        assertFalse(Packets.isContinued(row));
    }

    @Test
    void setSequenceIdRewritesOnlyThatByte() {
        byte[] ok = MariaDbVectors.load("com_ping/ping_ok.hex").serverBytes();
        byte[] expected = ok.clone();
        expected[3] = (byte) 0xFF;
        ByteBuf frame = Unpooled.wrappedBuffer(ok);
        Packets.setSequenceId(frame, 255);
        assertEquals(255, Packets.sequenceId(frame));
        assertArrayEquals(expected, ok);
    }

    @Test
    void lastSequenceIdIsThatOfTheLastWholePacket() {
        Vector vector = MariaDbVectors.load("com_query/select_300_rows_deprecate_eof.hex");
        byte[] rows = vector.serverBytes();
        List<byte[]> packets = vector.serverPackets();
        assertEquals(MariaDbVectors.sequenceId(packets.get(packets.size() - 1)),
                Packets.lastSequenceId(Unpooled.wrappedBuffer(rows)));

        byte[] trailer = MariaDbVectors.load("com_query/select_row_payload_0xffffff.hex").serverPackets().get(3);
        assertEquals(4, Packets.lastSequenceId(Unpooled.wrappedBuffer(trailer)));
    }

    @Test
    void nextSequenceIdWrapsAfter255() {
        assertEquals(1, Packets.nextSequenceId(0));
        assertEquals(255, Packets.nextSequenceId(254));
        assertEquals(0, Packets.nextSequenceId(255));
    }
}
