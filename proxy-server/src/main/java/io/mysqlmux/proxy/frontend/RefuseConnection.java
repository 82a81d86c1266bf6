package io.mysqlmux.proxy.frontend;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.proxy.error.ClientPackets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * A connection refused before login (max_client_connections): it gets the ERR in place of the
 * greeting, as the server sends "Too many connections", and is closed. Whatever it sends meanwhile
 * is dropped.
 */
final class RefuseConnection extends ChannelInboundHandlerAdapter {
    private final ErrPacket error;

    RefuseConnection(ErrPacket error) {
        this.error = error;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ByteBuf packet = ClientPackets.err(ctx.alloc(), 0, error, Capability.of(Capability.CLIENT_PROTOCOL_41));
        ctx.writeAndFlush(packet).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
