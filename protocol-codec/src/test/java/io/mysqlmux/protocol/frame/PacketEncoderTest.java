package io.mysqlmux.protocol.frame;

import io.mysqlmux.protocol.HexVectors;
import io.mysqlmux.protocol.MariaDbVectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class PacketEncoderTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    /** Chunk lengths from the spec: cut at 0xFFFFFF, an empty trailer when the length is an exact multiple. */
    @ParameterizedTest(name = "payload {0} from sequence id {1}")
    @CsvSource({
        "0, 0, 0",
        "1, 0, 1",
        "16777214, 0, 16777214",
        "16777215, 0, 16777215 0",
        "16777216, 0, 16777215 1",
        "33554430, 0, 16777215 16777215 0",
        "16777216, 255, 16777215 1",
        "33554430, 254, 16777215 16777215 0",
    })
    void splitsAtMaxPayloadWithConsecutiveSequenceIds(int size, int sequenceId, String chunkLengths) {
        byte[] payload = pattern(size);
        ByteBuf source = ALLOC.buffer(size).writeBytes(payload);
        ByteBuf encoded = PacketEncoder.packet(ALLOC, sequenceId, source);
        byte[] wire = release(encoded);
        assertEquals(1, source.refCnt(), "the payload is borrowed");
        source.release();

        List<byte[]> packets = HexVectors.packets(wire);
        int[] expectedLengths = Arrays.stream(chunkLengths.split(" ")).mapToInt(Integer::parseInt).toArray();
        assertEquals(expectedLengths.length, packets.size(), "packets");
        for (int i = 0; i < packets.size(); i++) {
            assertEquals(expectedLengths[i], packets.get(i).length - Packets.HEADER_SIZE, "length of packet " + i);
            assertEquals((sequenceId + i) & 0xFF, MariaDbVectors.sequenceId(packets.get(i)), "id of packet " + i);
        }
        assertArrayEquals(payload, MariaDbVectors.joinedPayload(packets));
    }

    /** The server's own split of a 16 MiB row, reproduced byte for byte from the joined payload. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0xfffffe", "0xffffff", "0x1000000"})
    void reproducesTheServersSplitOfABigRow(String size) {
        List<byte[]> server = MariaDbVectors.load("com_query/select_row_payload_" + size + ".hex").serverPackets();
        List<byte[]> rowPackets = server.subList(2, server.size() - 1);
        byte[] row = MariaDbVectors.joinedPayload(rowPackets);
        ByteBuf encoded = PacketEncoder.encode(ALLOC, MariaDbVectors.sequenceId(rowPackets.get(0)),
                out -> out.writeBytes(row));
        assertArrayEquals(concat(rowPackets), release(encoded));
    }

    @Test
    void smallPacketIsFinishedInTheSameBuffer() {
        byte[] ok = MariaDbVectors.load("com_query/insert_last_insert_id_300.hex").serverBytes();
        ByteBuf buf = ALLOC.buffer();
        int start = PacketEncoder.begin(buf, 1);
        buf.writeBytes(ok, Packets.HEADER_SIZE, ok.length - Packets.HEADER_SIZE);
        ByteBuf out = PacketEncoder.end(buf, start, ALLOC);
        assertSame(buf, out);
        assertArrayEquals(ok, release(out));
    }

    @Test
    void bytesBeforeTheSplitPacketAreKeptAndTheOldBufferReleased() {
        byte[] first = MariaDbVectors.load("com_ping/ping_ok.hex").serverBytes();
        byte[] payload = pattern(Packets.MAX_PAYLOAD);
        ByteBuf buf = ALLOC.buffer().writeBytes(first);
        int start = PacketEncoder.begin(buf, 2);
        assertEquals(first.length, start);
        buf.writeBytes(payload);
        ByteBuf out = PacketEncoder.end(buf, start, ALLOC);
        assertEquals(0, buf.refCnt(), "consumed");

        List<byte[]> packets = HexVectors.packets(release(out));
        assertEquals(3, packets.size());
        assertArrayEquals(first, packets.get(0));
        assertEquals(2, MariaDbVectors.sequenceId(packets.get(1)));
        assertArrayEquals(new byte[] {0, 0, 0, 3}, packets.get(2));
        assertArrayEquals(payload, MariaDbVectors.joinedPayload(packets.subList(1, 3)));
    }

    @Test
    void emptyPacketIsAHeaderOnly() {
        assertArrayEquals(new byte[] {0, 0, 0, 7}, release(PacketEncoder.emptyPacket(ALLOC, 7)));
    }

    @Test
    void encodedCapturedOkEqualsTheServersPacket() {
        byte[] ok = MariaDbVectors.load("com_query/update_info_rows_matched.hex").serverBytes();
        ByteBuf encoded = PacketEncoder.encode(ALLOC, ok[3], out -> out.writeBytes(ok, 4, ok.length - 4));
        assertArrayEquals(ok, release(encoded));
    }

    // ---- helpers ----

    /** A payload whose every byte depends on its position, so a misplaced chunk shows. */
    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 16));
        }
        return bytes;
    }

    private static byte[] release(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] concat(List<byte[]> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        packets.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
