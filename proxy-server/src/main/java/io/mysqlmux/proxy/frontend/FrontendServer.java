package io.mysqlmux.proxy.frontend;

import io.mysqlmux.protocol.frame.PacketFrameDecoder;
import io.mysqlmux.proxy.Transport;
import io.mysqlmux.proxy.backend.Pools;
import io.mysqlmux.proxy.config.ConfiguredUsers;
import io.mysqlmux.proxy.config.ProxyConfig;
import io.mysqlmux.proxy.session.SessionServices;
import io.mysqlmux.proxy.session.Sessions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The listener applications connect to. Each accepted connection gets a frame decoder and a
 * {@link ClientLoginHandler}; client channels run on the same event loops as server connections.
 */
public final class FrontendServer {
    private final ProxyConfig config;
    private final Transport transport;
    private final SessionServices services;
    private final AtomicLong connectionIds = new AtomicLong();
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private Channel listener;

    public FrontendServer(ProxyConfig config, Transport transport, Pools pools, Sessions sessions) {
        this.config = config;
        this.transport = transport;
        this.services = new SessionServices(config, pools, new ConfiguredUsers(config.users()), sessions,
                new SecureRandom());
    }

    /** Binds the listener; the future completes when it accepts connections. */
    public ChannelFuture bind() {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.group())
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        ch.pipeline().addLast("frames", new PacketFrameDecoder());
                        ch.pipeline().addLast("login", new ClientLoginHandler(FrontendServer.this));
                    }
                });
        ChannelFuture bound = bootstrap.bind(config.listen().toSocketAddress());
        listener = bound.channel();
        return bound;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Client connections open right now (logging in or logged in). */
    public int clientCount() {
        return clients.size();
    }

    /** Stops accepting and closes every client connection. */
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        clients.close().awaitUninterruptibly();
    }

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    SessionServices services() {
        return services;
    }
}
