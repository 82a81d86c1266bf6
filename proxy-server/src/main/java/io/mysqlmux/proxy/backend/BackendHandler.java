package io.mysqlmux.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * The last handler of a server connection's pipeline: hands each frame to the connection's current
 * {@link BackendReceiver}. When the receiver runs on another event loop (a client borrowed a
 * connection homed elsewhere), the frames of one socket read travel together in one task, so the
 * cost of crossing threads is paid once per read, not once per packet.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private final BackendConnection connection;
    private List<ByteBuf> batch;
    private BackendReceiver batchReceiver;

    BackendHandler(BackendConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        BackendReceiver receiver = connection.receiver();
        if (receiver == null) {
            ReferenceCountUtil.release(frame);
            connection.onUnsolicitedPacket();
            return;
        }
        if (receiver.executor().inEventLoop()) {
            receiver.onBackendPacket(connection, frame);
            return;
        }
        if (batchReceiver != null && batchReceiver != receiver) {
            flushBatch();
        }
        if (batch == null) {
            batch = new ArrayList<>(8);
        }
        batch.add(frame);
        batchReceiver = receiver;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (batch != null) {
            flushBatch();
            return;
        }
        BackendReceiver receiver = connection.receiver();
        if (receiver != null && receiver.executor().inEventLoop()) {
            receiver.onBackendReadComplete(connection);
        }
    }

    private void flushBatch() {
        List<ByteBuf> frames = batch;
        BackendReceiver receiver = batchReceiver;
        batch = null;
        batchReceiver = null;
        receiver.executor().execute(() -> {
            for (ByteBuf frame : frames) {
                receiver.onBackendPacket(connection, frame);
            }
            receiver.onBackendReadComplete(connection);
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        BackendReceiver receiver = connection.receiver();
        if (receiver != null) {
            boolean writable = ctx.channel().isWritable();
            run(receiver, () -> receiver.onBackendWritabilityChanged(connection, writable));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (batch != null) {
            flushBatch();
        }
        connection.onClosed(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.onClosed(cause);
        ctx.close();
    }

    static void run(BackendReceiver receiver, Runnable task) {
        if (receiver.executor().inEventLoop()) {
            task.run();
        } else {
            receiver.executor().execute(task);
        }
    }
}
