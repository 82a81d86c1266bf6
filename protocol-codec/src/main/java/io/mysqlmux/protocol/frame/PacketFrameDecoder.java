package io.mysqlmux.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Cuts the byte stream into physical packets. Each emitted message is a retained slice of the
 * received bytes with the 4-byte header included, so a packet can be forwarded unchanged with one
 * {@code write}; nothing is copied on the common path. Joining 0xFFFFFF continuations is left to the
 * few places that must read a whole logical packet ({@link LargePacketJoiner}).
 *
 * <p>The receiver owns every emitted frame and must release it (or pass it on).
 */
public final class PacketFrameDecoder extends ByteToMessageDecoder {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= Packets.HEADER_SIZE) {
            int frameLength = Packets.HEADER_SIZE + in.getUnsignedMediumLE(in.readerIndex());
            if (in.readableBytes() < frameLength) {
                return;
            }
            out.add(in.readRetainedSlice(frameLength));
        }
    }
}
