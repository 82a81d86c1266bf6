package io.mysqlmux.proxy.frontend;

import io.mysqlmux.protocol.frame.PacketFrameDecoder;
import io.mysqlmux.proxy.net.Transport;
import io.mysqlmux.proxy.config.ProxyConfig;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.session.SessionServices;
import io.mysqlmux.proxy.stats.ProxyStats;
import io.mysqlmux.proxy.stats.RejectReason;
import io.mysqlmux.proxy.stats.TrafficCounter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The listener applications connect to. Each accepted connection is counted against
 * max_client_connections (over it, ERROR 1040 in place of the greeting), then gets a byte counter,
 * a frame decoder bounded by the packet size limit and a {@link ClientLoginHandler}; client channels
 * run on the same event loops as server connections.
 */
public final class FrontendServer {
    private static final Logger log = LoggerFactory.getLogger(FrontendServer.class);
    private static final long LIMIT_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ProxyConfig config;
    private final Transport transport;
    private final SessionServices services;
    private final TrafficCounter traffic;
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong lastLimitLogNanos = new AtomicLong(System.nanoTime() - LIMIT_LOG_INTERVAL_NANOS);
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private Channel listener;

    public FrontendServer(ProxyConfig config, Transport transport, SessionServices services) {
        this.config = config;
        this.transport = transport;
        this.traffic = new TrafficCounter(services.stats());
        this.services = services;
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
                        accept(ch);
                    }
                });
        ChannelFuture bound = bootstrap.bind(config.listen().toSocketAddress());
        listener = bound.channel();
        return bound;
    }

    private void accept(Channel ch) {
        ProxyStats stats = services.stats();
        int count = stats.clientConnected();
        ch.closeFuture().addListener(f -> stats.clientDisconnected());
        ch.pipeline().addLast("traffic", traffic);
        int limit = config.settings().intValue(Setting.MAX_CLIENT_CONNECTIONS);
        if (count > limit) {
            stats.reject(RejectReason.MAX_CLIENT_CONNECTIONS);
            logLimitReached(limit);
            ch.pipeline().addLast("refuse", new RefuseConnection(ProxyError.TOO_MANY_CONNECTIONS.packet(limit)));
            return;
        }
        clients.add(ch);
        ch.pipeline().addLast("frames", new PacketFrameDecoder(services::maxPacketSize));
        ch.pipeline().addLast("login", new ClientLoginHandler(FrontendServer.this));
    }

    /** Once per ten seconds at most: a flood of refusals must not become a flood of log lines. */
    private void logLimitReached(int limit) {
        long last = lastLimitLogNanos.get();
        long now = System.nanoTime();
        if (now - last >= LIMIT_LOG_INTERVAL_NANOS && lastLimitLogNanos.compareAndSet(last, now)) {
            log.warn("max_client_connections ({}) reached: new client connections get ERROR 1040 ({} refused since"
                    + " start); raise the limit or find the client that does not close its connections", limit,
                    services.stats().rejected(RejectReason.MAX_CLIENT_CONNECTIONS));
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Client connections open right now (logging in or logged in). */
    public int clientCount() {
        return services.stats().clientConnections();
    }

    /** Stops accepting new client connections (those open stay). */
    public void stopAccepting() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
    }

    /** Stops accepting and closes every client connection. */
    public void close() {
        stopAccepting();
        clients.close().awaitUninterruptibly();
    }

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    SessionServices services() {
        return services;
    }
}
