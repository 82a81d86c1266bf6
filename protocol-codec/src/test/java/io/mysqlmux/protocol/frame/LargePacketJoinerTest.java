package io.mysqlmux.protocol.frame;

import io.mysqlmux.protocol.HexVectors;
import io.mysqlmux.protocol.MariaDbVectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class LargePacketJoinerTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @ParameterizedTest(name = "payload {0}")
    @ValueSource(ints = {0, 1, 0xFFFFFE, 0xFFFFFF, 0x1000000, 2 * 0xFFFFFF})
    void joinsWhatTheEncoderSplit(int size) {
        byte[] payload = PacketEncoderTest.pattern(size);
        ByteBuf source = ALLOC.buffer(size).writeBytes(payload);
        ByteBuf encoded = PacketEncoder.packet(ALLOC, 250, source);
        source.release();
        List<ByteBuf> frames = frames(ByteBufUtil.getBytes(encoded));
        encoded.release();

        LargePacketJoiner joiner = new LargePacketJoiner(ALLOC);
        ByteBuf joined = null;
        long pending = 0;
        for (int i = 0; i < frames.size(); i++) {
            joined = joiner.add(frames.get(i));
            if (i < frames.size() - 1) {
                assertNull(joined, "complete before frame " + (i + 1) + " of " + frames.size());
                pending += Packets.MAX_PAYLOAD;
                assertEquals(pending, joiner.pendingBytes());
            }
        }
        assertNotNull(joined);
        assertEquals(0, joiner.pendingBytes());
        assertArrayEquals(payload, ByteBufUtil.getBytes(joined));
        joined.release();
        frames.forEach(frame -> assertEquals(0, frame.refCnt(), "frames are consumed"));
    }

    /** The server's 16 MiB rows: the logical row is the lenenc column, then its bytes. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0xFFFFFF, 0x1000000})
    void joinsTheServersSplitRow(int rowLength) {
        String file = "com_query/select_row_payload_0x" + Integer.toHexString(rowLength) + ".hex";
        List<byte[]> server = MariaDbVectors.load(file).serverPackets();
        LargePacketJoiner joiner = new LargePacketJoiner(ALLOC);
        assertNull(joiner.add(frame(server.get(2))));
        ByteBuf row = joiner.add(frame(server.get(3)));
        try {
            assertEquals(rowLength, row.readableBytes());
            assertEquals(0xFD, row.getUnsignedByte(0), "int<lenenc> with 3 bytes");
            assertEquals(rowLength - 4, row.getUnsignedMediumLE(1));
            assertEquals('x', row.getByte(rowLength - 1));
        } finally {
            row.release();
        }
    }

    @Test
    void singleFrameComesBackAsItsPayload() {
        byte[] ok = MariaDbVectors.load("com_query/insert_last_insert_id_300.hex").serverBytes();
        ByteBuf frame = frame(ok);
        ByteBuf payload = new LargePacketJoiner(ALLOC).add(frame);
        assertArrayEquals(MariaDbVectors.joinedPayload(List.of(ok)), ByteBufUtil.getBytes(payload));
        payload.release();
        assertEquals(0, frame.refCnt());
    }

    @Test
    void joinerStartsAfreshAfterEachPacket() {
        byte[] ok = MariaDbVectors.load("com_ping/ping_ok.hex").serverBytes();
        byte[] big = PacketEncoderTest.pattern(Packets.MAX_PAYLOAD);
        LargePacketJoiner joiner = new LargePacketJoiner(ALLOC);
        for (ByteBuf frame : frames(encode(big, 0))) {
            ByteBuf joined = joiner.add(frame);
            if (joined != null) {
                assertEquals(Packets.MAX_PAYLOAD, joined.readableBytes());
                joined.release();
            }
        }
        ByteBuf next = joiner.add(frame(ok));
        assertEquals(ok.length - Packets.HEADER_SIZE, next.readableBytes());
        next.release();
    }

    @Test
    void discardReleasesAnUnfinishedPacket() {
        List<ByteBuf> frames = frames(encode(PacketEncoderTest.pattern(0x1000000), 0));
        LargePacketJoiner joiner = new LargePacketJoiner(ALLOC);
        assertNull(joiner.add(frames.get(0)));
        assertEquals(Packets.MAX_PAYLOAD, joiner.pendingBytes());
        joiner.discard();
        assertEquals(0, joiner.pendingBytes());
        assertEquals(0, frames.get(0).refCnt());
        frames.get(1).release();
        joiner.discard();
    }

    // ---- helpers ----

    private static byte[] encode(byte[] payload, int sequenceId) {
        ByteBuf encoded = PacketEncoder.encode(ALLOC, sequenceId, out -> out.writeBytes(payload));
        try {
            return ByteBufUtil.getBytes(encoded);
        } finally {
            encoded.release();
        }
    }

    /** Each physical packet in its own buffer, as the frame decoder hands them on. */
    private static List<ByteBuf> frames(byte[] wire) {
        List<ByteBuf> frames = new ArrayList<>();
        for (byte[] packet : HexVectors.packets(wire)) {
            frames.add(frame(packet));
        }
        return frames;
    }

    private static ByteBuf frame(byte[] packet) {
        return ALLOC.buffer(packet.length).writeBytes(packet);
    }
}
