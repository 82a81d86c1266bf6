package io.mysqlmux.protocol.frame;

import io.mysqlmux.protocol.HexVectors;
import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MariaDbVectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PacketFrameDecoderTest {
    private static final String BIG = "select_row_payload_";

    /** Both directions of every vector, where that side sent something. */
    static Stream<String> streams() {
        return MariaDbVectors.all().stream().flatMap(path -> {
            Vector vector = MariaDbVectors.load(path);
            return Stream.of(vector.serverBytes().length > 0 ? path + " server" : null,
                    vector.clientBytes().length > 0 ? path + " client" : null);
        }).filter(Objects::nonNull);
    }

    static Stream<String> smallStreams() {
        return streams().filter(stream -> !stream.contains(BIG));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void wholeStreamInOneWriteEmitsEveryPacketWithItsHeader(String stream) {
        byte[] wire = bytesOf(stream);
        assertFramesEqual(HexVectors.packets(wire), decode(wire));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallStreams")
    void streamFedByteByByteEmitsTheSamePackets(String stream) {
        byte[] wire = bytesOf(stream);
        int[] cuts = IntStream.range(1, wire.length).toArray();
        assertFramesEqual(HexVectors.packets(wire), decode(wire, cuts));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "com_query/select_two_rows_classic_eof.hex server",
        "com_query/load_data_local_infile.hex client",
        "handshake/auth_switch_caching_sha2_to_native.hex server",
    })
    void streamSplitAtEveryOffsetEmitsTheSamePackets(String stream) {
        byte[] wire = bytesOf(stream);
        List<byte[]> expected = HexVectors.packets(wire);
        for (int cut = 1; cut < wire.length; cut++) {
            assertFramesEqual(expected, decode(wire, cut));
        }
    }

    /** 16 MiB rows: one write, and a split at every offset within 5 bytes of each packet boundary. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0xfffffe", "0xffffff", "0x1000000"})
    void sixteenMebibyteRowsDecodeWholeAndSplitAroundEveryHeader(String size) {
        byte[] wire = MariaDbVectors.load("com_query/" + BIG + size + ".hex").serverBytes();
        List<byte[]> expected = HexVectors.packets(wire);
        assertFramesEqual(expected, decode(wire));
        TreeSet<Integer> cuts = new TreeSet<>();
        int boundary = 0;
        for (byte[] packet : expected) {
            for (int cut = boundary - 5; cut <= boundary + 5; cut++) {
                if (cut > 0 && cut < wire.length) {
                    cuts.add(cut);
                }
            }
            boundary += packet.length;
        }
        for (int cut : cuts) {
            assertFramesEqual(expected, decode(wire, cut));
        }
    }

    @Test
    void fullFrameAndItsEmptyTrailerStayTwoPackets() {
        byte[] wire = MariaDbVectors.load("com_query/" + BIG + "0xffffff.hex").serverBytes();
        List<byte[]> frames = decode(wire);
        assertEquals(Packets.HEADER_SIZE + Packets.MAX_PAYLOAD, frames.get(2).length);
        assertArrayEquals(new byte[] {0, 0, 0, 4}, frames.get(3));
    }

    @Test
    void incompletePacketStaysBufferedUntilItsLastByte() {
        byte[] ok = MariaDbVectors.load("com_ping/ping_ok.hex").serverBytes();
        EmbeddedChannel channel = new EmbeddedChannel(new PacketFrameDecoder());
        ByteBuf head = copy(ok, 0, ok.length - 1);
        ByteBuf tail = copy(ok, ok.length - 1, 1);
        assertFalse(channel.writeInbound(head));
        assertNull(channel.readInbound());
        channel.writeInbound(tail);
        ByteBuf frame = channel.readInbound();
        assertArrayEquals(ok, ByteBufUtil.getBytes(frame));
        frame.release();
        assertFalse(channel.finishAndReleaseAll());
        assertEquals(0, head.refCnt());
        assertEquals(0, tail.refCnt());
    }

    @Test
    void packetAtTheLimitPassesAndTheSizeCountsFromEachNewPacket() {
        byte[] query = MariaDbVectors.load("com_query/select_two_rows_classic_eof.hex").clientBytes();
        ByteBuf header = copy(query, 0, 4);
        int payload = Packets.payloadLength(header);
        header.release();
        EmbeddedChannel channel = new EmbeddedChannel(new PacketFrameDecoder(() -> payload));
        for (int i = 0; i < 3; i++) {
            channel.writeInbound(copy(query, 0, Packets.HEADER_SIZE + payload));
            ByteBuf frame = channel.readInbound();
            assertEquals(Packets.HEADER_SIZE + payload, frame.readableBytes());
            frame.release();
        }
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void oversizedPacketIsRefusedFromItsHeaderBeforeThePayloadArrives() {
        EmbeddedChannel channel = new EmbeddedChannel(new PacketFrameDecoder(() -> 1024));
        // Only the header of a 1 MiB COM_QUERY, sequence id 0: no payload byte has arrived.
        ByteBuf header = copy(new byte[] {0, 0, 0x10, 0}, 0, 4);
        PacketTooLargeException refused = assertThrows(PacketTooLargeException.class,
                () -> channel.writeInbound(header));
        assertEquals(0x100000, refused.size());
        assertEquals(1024, refused.limit());
        assertEquals(0, refused.sequenceId());
        assertEquals(0, header.refCnt());
        // Whatever follows is dropped, never emitted.
        ByteBuf rest = copy(new byte[2048], 0, 2048);
        channel.writeInbound(rest);
        assertNull(channel.readInbound());
        assertEquals(0, rest.refCnt());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void continuationsCountTogetherAgainstTheLimit() {
        int limit = Packets.MAX_PAYLOAD + 10;
        EmbeddedChannel channel = new EmbeddedChannel(new PacketFrameDecoder(() -> limit));
        byte[] first = new byte[Packets.HEADER_SIZE + Packets.MAX_PAYLOAD];
        first[0] = (byte) 0xFF;
        first[1] = (byte) 0xFF;
        first[2] = (byte) 0xFF;
        channel.writeInbound(copy(first, 0, first.length));
        ByteBuf part = channel.readInbound();
        part.release();
        ByteBuf second = copy(new byte[] {11, 0, 0, 1}, 0, 4);
        PacketTooLargeException refused = assertThrows(PacketTooLargeException.class,
                () -> channel.writeInbound(second));
        assertEquals(Packets.MAX_PAYLOAD + 11L, refused.size());
        assertEquals(1, refused.sequenceId());
        assertFalse(channel.finishAndReleaseAll());
    }

    // ---- helpers ----

    /** "com_query/x.hex server" → that side's wire bytes. */
    private static byte[] bytesOf(String stream) {
        int space = stream.lastIndexOf(' ');
        Vector vector = MariaDbVectors.load(stream.substring(0, space));
        return stream.endsWith("server") ? vector.serverBytes() : vector.clientBytes();
    }

    /**
     * Writes {@code wire} in pieces cut at {@code cuts} (ascending), collects every emitted frame's bytes
     * and releases it. Checks the channel ends empty and that every input buffer was released.
     */
    private static List<byte[]> decode(byte[] wire, int... cuts) {
        EmbeddedChannel channel = new EmbeddedChannel(new PacketFrameDecoder());
        List<ByteBuf> inputs = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        int start = 0;
        for (int end : IntStream.concat(Arrays.stream(cuts), IntStream.of(wire.length)).toArray()) {
            ByteBuf piece = copy(wire, start, end - start);
            inputs.add(piece);
            channel.writeInbound(piece);
            for (ByteBuf frame; (frame = channel.readInbound()) != null; ) {
                frames.add(ByteBufUtil.getBytes(frame));
                frame.release();
            }
            start = end;
        }
        assertFalse(channel.finishAndReleaseAll());
        for (ByteBuf input : inputs) {
            assertEquals(0, input.refCnt(), "input buffer still referenced");
        }
        return frames;
    }

    private static ByteBuf copy(byte[] wire, int offset, int length) {
        return ByteBufAllocator.DEFAULT.buffer(length).writeBytes(wire, offset, length);
    }

    private static void assertFramesEqual(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "frame count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "frame " + i);
        }
    }
}
