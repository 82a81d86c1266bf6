package io.mysqlmux.proxy.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The event loops and channel types: native epoll on Linux, NIO elsewhere. Client and server
 * connections share one group so that a client and the server connection it borrows can run on the
 * same thread.
 */
public record Transport(EventLoopGroup group, Class<? extends ServerChannel> serverChannelClass,
                        Class<? extends Channel> channelClass) {

    /** @param threads event-loop threads; 0 = one per available processor */
    public static Transport create(int threads) {
        int n = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        DefaultThreadFactory factory = new DefaultThreadFactory("mysqlmux-loop", true);
        if (Epoll.isAvailable()) {
            return new Transport(new MultiThreadIoEventLoopGroup(n, factory, EpollIoHandler.newFactory()),
                    EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return new Transport(new MultiThreadIoEventLoopGroup(n, factory, NioIoHandler.newFactory()),
                NioServerSocketChannel.class, NioSocketChannel.class);
    }

    public String name() {
        return channelClass == EpollSocketChannel.class ? "epoll" : "nio";
    }
}
