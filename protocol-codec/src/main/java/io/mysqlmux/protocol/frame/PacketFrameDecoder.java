package io.mysqlmux.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Cuts the byte stream into physical packets. Each emitted message is a retained slice of the
 * received bytes with the 4-byte header included, so a packet can be forwarded unchanged with one
 * {@code write}; nothing is copied on the common path. Joining 0xFFFFFF continuations is left to the
 * few places that must read a whole logical packet ({@link LargePacketJoiner}).
 *
 * <p>With a size limit, a logical packet whose parts add up to more than the limit is refused from
 * its headers alone: a {@link PacketTooLargeException} goes down the pipeline and every later byte
 * is dropped, so the oversized payload is never buffered.
 *
 * <p>The receiver owns every emitted frame and must release it (or pass it on).
 */
public final class PacketFrameDecoder extends ByteToMessageDecoder {
    private static final LongSupplier NO_LIMIT = () -> 0;

    private final LongSupplier maxPacketSize;
    /** Payload bytes of the logical packet being read (continuations so far plus the current part). */
    private long logicalSize;
    private boolean refused;

    /** Frames of any size. */
    public PacketFrameDecoder() {
        this(NO_LIMIT);
    }

    /** @param maxPacketSize largest logical packet accepted, read at each packet; 0 = no limit */
    public PacketFrameDecoder(LongSupplier maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= Packets.HEADER_SIZE) {
            int payloadLength = in.getUnsignedMediumLE(in.readerIndex());
            long limit = maxPacketSize.getAsLong();
            if (limit > 0 && logicalSize + payloadLength > limit) {
                refused = true;
                int sequenceId = in.getUnsignedByte(in.readerIndex() + 3);
                in.skipBytes(in.readableBytes());
                throw new PacketTooLargeException(logicalSize + payloadLength, limit, sequenceId);
            }
            int frameLength = Packets.HEADER_SIZE + payloadLength;
            if (in.readableBytes() < frameLength) {
                return;
            }
            logicalSize = payloadLength == Packets.MAX_PAYLOAD ? logicalSize + payloadLength : 0;
            out.add(in.readRetainedSlice(frameLength));
        }
    }
}
