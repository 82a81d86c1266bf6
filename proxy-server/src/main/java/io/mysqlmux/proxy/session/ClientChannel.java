package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.proxy.error.ClientPackets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.net.InetSocketAddress;

/**
 * A client's socket as its session writes to it: packets in the shape the client negotiated,
 * written now and flushed once per batch, and whether to go on reading commands.
 */
final class ClientChannel {
    private final Channel channel;
    private final Capability capabilities;
    /** COM_CHANGE_USERs refused on this connection (the server allows three). */
    private int changeUserFailures;

    ClientChannel(Channel channel, Capability capabilities) {
        this.channel = channel;
        this.capabilities = capabilities;
    }

    Channel channel() {
        return channel;
    }

    Capability capabilities() {
        return capabilities;
    }

    /** Writes {@code packet} (consumed); it leaves at the next flush. */
    void write(ByteBuf packet) {
        channel.write(packet, channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    /** An ERR answering a command (sequence id 1). */
    ByteBuf err(ErrPacket error) {
        return err(error, 1);
    }

    ByteBuf err(ErrPacket error, int sequenceId) {
        return ClientPackets.err(channel.alloc(), sequenceId, error, capabilities);
    }

    void changeUserFailed() {
        changeUserFailures++;
    }

    int changeUserFailures() {
        return changeUserFailures;
    }

    ByteBuf ok(int sequenceId, int status) {
        return ClientPackets.ok(channel.alloc(), sequenceId, OkPacket.of(status), capabilities);
    }

    /** Writes {@code error} with {@code sequenceId}, then closes. */
    void failAndClose(ErrPacket error, int sequenceId) {
        channel.writeAndFlush(ClientPackets.err(channel.alloc(), sequenceId, error, capabilities))
                .addListener(ChannelFutureListener.CLOSE);
    }

    void close() {
        channel.close();
    }

    boolean isWritable() {
        return channel.isWritable();
    }

    /** Reads the client's socket or stops (backpressure: too many commands queued, or a slow server). */
    void reading(boolean read) {
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    String address() {
        return String.valueOf(channel.remoteAddress());
    }

    /** The client's address without the port, as the server writes it in "Access denied" errors. */
    String host() {
        return channel.remoteAddress() instanceof InetSocketAddress address
                ? address.getAddress().getHostAddress() : address();
    }
}
