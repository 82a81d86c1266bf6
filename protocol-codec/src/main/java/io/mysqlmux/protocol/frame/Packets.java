package io.mysqlmux.protocol.frame;

import io.netty.buffer.ByteBuf;

/**
 * Peeks at a frame: one physical packet, 4-byte header included, as {@link PacketFrameDecoder}
 * emits it. All reads are absolute; nothing moves the reader index and nothing allocates.
 *
 * <pre>
 *   int&lt;3&gt; payload_length   int&lt;1&gt; sequence_id   payload...
 * </pre>
 * A payload of exactly 0xFFFFFF bytes means the logical packet continues in the next frame.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html">MySQL packets</a>
 */
public final class Packets {
    public static final int HEADER_SIZE = 4;
    /** Largest payload of one physical packet; a payload this long is continued by the next packet. */
    public static final int MAX_PAYLOAD = 0xFFFFFF;

    private Packets() {
    }

    public static int payloadLength(ByteBuf frame) {
        return frame.getUnsignedMediumLE(frame.readerIndex());
    }

    public static int sequenceId(ByteBuf frame) {
        return frame.getUnsignedByte(frame.readerIndex() + 3);
    }

    /** Rewrites the sequence id in place (the frame's bytes are ours to change once we own it). */
    public static void setSequenceId(ByteBuf frame, int sequenceId) {
        frame.setByte(frame.readerIndex() + 3, sequenceId);
    }

    /** First payload byte (0..255), or -1 for an empty payload. */
    public static int firstByte(ByteBuf frame) {
        return payloadLength(frame) == 0 ? -1 : frame.getUnsignedByte(frame.readerIndex() + HEADER_SIZE);
    }

    /** Index in {@code frame} of the payload byte at {@code offset}. */
    public static int payloadIndex(ByteBuf frame, int offset) {
        return frame.readerIndex() + HEADER_SIZE + offset;
    }

    /** A view of the payload sharing the frame's memory; not retained. */
    public static ByteBuf payload(ByteBuf frame) {
        return frame.slice(frame.readerIndex() + HEADER_SIZE, payloadLength(frame));
    }

    /** True when this frame's payload is 0xFFFFFF bytes: the logical packet goes on in the next one. */
    public static boolean isContinued(ByteBuf frame) {
        return payloadLength(frame) == MAX_PAYLOAD;
    }

    /**
     * The sequence id of the last packet in a buffer of consecutive whole packets (a command split
     * at 0xFFFFFF arrives as several; the answer continues after the last).
     */
    public static int lastSequenceId(ByteBuf packets) {
        int index = packets.readerIndex();
        int sequenceId = 0;
        while (index + HEADER_SIZE <= packets.writerIndex()) {
            sequenceId = packets.getUnsignedByte(index + 3);
            index += HEADER_SIZE + packets.getUnsignedMediumLE(index);
        }
        return sequenceId;
    }

    public static int nextSequenceId(int sequenceId) {
        return (sequenceId + 1) & 0xFF;
    }
}
