package io.mysqlmux.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes packets the proxy builds itself (OK, ERR, greetings, setup commands). The payload is
 * written straight after a reserved header, then {@link #end} fills the header in; a payload of
 * 0xFFFFFF bytes or more is cut into 0xFFFFFF chunks, each with its own header and the next
 * sequence id, plus an empty trailing packet when the length is an exact multiple.
 *
 * <pre>{@code
 *   ByteBuf buf = alloc.buffer();
 *   int start = PacketEncoder.begin(buf, sequenceId);
 *   ok.write(buf, capabilities);
 *   buf = PacketEncoder.end(buf, start, alloc);
 * }</pre>
 */
public final class PacketEncoder {

    private PacketEncoder() {
    }

    /** Reserves the header of a packet at the writer index; returns where the packet starts. */
    public static int begin(ByteBuf buf, int sequenceId) {
        int start = buf.writerIndex();
        buf.writeMediumLE(0).writeByte(sequenceId);
        return start;
    }

    /**
     * Completes the packet that {@link #begin} started at {@code start}. Consumes {@code buf} and
     * returns the buffer to write: the same one unless the payload had to be split.
     */
    public static ByteBuf end(ByteBuf buf, int start, ByteBufAllocator alloc) {
        int payloadLength = buf.writerIndex() - start - Packets.HEADER_SIZE;
        if (payloadLength < Packets.MAX_PAYLOAD) {
            buf.setMediumLE(start, payloadLength);
            return buf;
        }
        try {
            return split(buf, start, payloadLength, alloc);
        } finally {
            buf.release();
        }
    }

    /** Returns a new buffer with {@code buf}'s bytes before {@code start}, then the payload in chunks. */
    private static ByteBuf split(ByteBuf buf, int start, int payloadLength, ByteBufAllocator alloc) {
        int chunks = payloadLength / Packets.MAX_PAYLOAD + 1;
        ByteBuf out = alloc.buffer(start + payloadLength + chunks * Packets.HEADER_SIZE);
        out.writeBytes(buf, buf.readerIndex(), start - buf.readerIndex());
        int sequenceId = buf.getUnsignedByte(start + 3);
        int offset = start + Packets.HEADER_SIZE;
        int remaining = payloadLength;
        while (true) {
            int chunk = Math.min(remaining, Packets.MAX_PAYLOAD);
            out.writeMediumLE(chunk).writeByte(sequenceId);
            out.writeBytes(buf, offset, chunk);
            offset += chunk;
            remaining -= chunk;
            sequenceId = Packets.nextSequenceId(sequenceId);
            if (chunk < Packets.MAX_PAYLOAD) {
                return out;
            }
        }
    }

    /** One complete packet whose payload {@code payload} writes. */
    public static ByteBuf encode(ByteBufAllocator alloc, int sequenceId, PacketPayload payload) {
        ByteBuf buf = alloc.buffer();
        int start = begin(buf, sequenceId);
        payload.write(buf);
        return end(buf, start, alloc);
    }

    /** One complete packet holding {@code payload} (borrowed, not released). */
    public static ByteBuf packet(ByteBufAllocator alloc, int sequenceId, ByteBuf payload) {
        ByteBuf buf = alloc.buffer(Packets.HEADER_SIZE + payload.readableBytes());
        int start = begin(buf, sequenceId);
        buf.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        return end(buf, start, alloc);
    }

    /** A packet with an empty payload: the end of LOCAL INFILE data, or a chunked payload's trailer. */
    public static ByteBuf emptyPacket(ByteBufAllocator alloc, int sequenceId) {
        return alloc.buffer(Packets.HEADER_SIZE).writeMediumLE(0).writeByte(sequenceId);
    }
}
