package io.mysqlmux.proxy.frontend;

import io.mysqlmux.protocol.frame.PacketTooLargeException;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.session.ClientSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command phase of a client connection: turns frames into whole commands for the session. A
 * command of 16 MiB or more arrives as several frames; they are gathered (without copying) into one
 * buffer that still holds every frame with its header, so it goes to the server unchanged. While
 * the client streams a LOAD DATA LOCAL INFILE file its packets go straight through instead.
 */
final class ClientCommandHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientCommandHandler.class);

    private final ClientSession session;
    private CompositeByteBuf pending;

    ClientCommandHandler(ClientSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (session.wantsRawPackets()) {
            session.onRawPacket(frame);
            return;
        }
        if (pending == null && !Packets.isContinued(frame)) {
            session.onCommand(frame);
            return;
        }
        if (pending == null) {
            pending = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
        }
        pending.addComponent(true, frame);
        if (!Packets.isContinued(frame)) {
            ByteBuf command = pending;
            pending = null;
            session.onCommand(command);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.onClientWritabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pending != null) {
            pending.release();
            pending = null;
        }
        session.close("client disconnected");
    }

    /**
     * The client announced a command larger than allowed. The error goes out only while no response
     * is being relayed (it would land inside one); the connection closes either way.
     */
    private void refuseOversized(ErrPacket error, int sequenceId) {
        session.oversizedCommand();
        if (session.isIdle()) {
            session.fail(error, sequenceId);
        } else {
            session.close("oversized command while another ran: " + error.message());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PacketTooLargeException tooLarge) {
            log.info("{}: {}; closing", session, tooLarge.getMessage());
            refuseOversized(ProxyError.PACKET_TOO_LARGE.packet(tooLarge.size(), tooLarge.limit()),
                    Packets.nextSequenceId(tooLarge.sequenceId()));
            return;
        }
        if (session.isClosed()) {
            // The rest of what was queued for a client already gone fails write by write: said once.
            return;
        }
        if (cause instanceof java.io.IOException) {
            log.info("{}: {}; closing", session, cause.toString());
        } else {
            log.error("{}: unexpected failure while handling the client's packets; closing", session, cause);
        }
        session.close("client connection error: " + cause.getMessage());
    }
}
