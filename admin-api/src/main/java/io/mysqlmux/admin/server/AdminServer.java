package io.mysqlmux.admin.server;

import io.mysqlmux.admin.ControlView;
import io.mysqlmux.admin.http.HttpEndpoint;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.PacketFrameDecoder;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.wire.Capability;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The admin port and the HTTP endpoint, on one event-loop thread of their own: whatever load the
 * proxy's loops carry, an operator still gets in, and nothing the admin does runs on them.
 *
 * <pre>{@code
 *   AdminServer admin = AdminServer.start(control, settings);   // binds both, or throws
 *   admin.adminAddress(); admin.httpAddress();                  // the bound addresses
 *   admin.close();
 * }</pre>
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    /** Admin statements are short; anything bigger is a mistake or an attack. */
    private static final long MAX_PACKET = 1 << 20;

    private final EventLoopGroup group;
    private final Channel adminListener;
    private final Channel httpListener;

    private AdminServer(EventLoopGroup group, Channel adminListener, Channel httpListener) {
        this.group = group;
        this.adminListener = adminListener;
        this.httpListener = httpListener;
    }

    /** Binds what the settings ask for (the admin port, the HTTP endpoint, or both). */
    public static AdminServer start(ControlView control, AdminSettings settings) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mysqlmux-admin", true),
                NioIoHandler.newFactory());
        try {
            Channel admin = settings.listen() == null ? null : bindAdmin(group, control, settings);
            Channel http = settings.httpListen() == null ? null : HttpEndpoint.bind(group, control, settings.httpListen());
            return new AdminServer(group, admin, http);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static Channel bindAdmin(EventLoopGroup group, ControlView control, AdminSettings settings) {
        AtomicInteger open = new AtomicInteger();
        AtomicLong ids = new AtomicLong();
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        int now = open.incrementAndGet();
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        if (now > settings.maxConnections()) {
                            ch.pipeline().addLast(new TooMany(settings.maxConnections()));
                            return;
                        }
                        ch.pipeline().addLast(new PacketFrameDecoder(() -> MAX_PACKET),
                                new AdminConnection(control, settings, ids.incrementAndGet()));
                    }
                });
        Channel channel = bootstrap.bind(settings.listen()).syncUninterruptibly().channel();
        log.info("admin port listening on {} (user {})", channel.localAddress(), settings.user());
        return channel;
    }

    /** Where the admin port listens, or null. */
    public InetSocketAddress adminAddress() {
        return adminListener == null ? null : (InetSocketAddress) adminListener.localAddress();
    }

    /** Where the HTTP endpoint listens, or null. */
    public InetSocketAddress httpAddress() {
        return httpListener == null ? null : (InetSocketAddress) httpListener.localAddress();
    }

    @Override
    public void close() {
        if (adminListener != null) {
            adminListener.close();
        }
        if (httpListener != null) {
            httpListener.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Over admin.max_connections: ERROR 1040 in place of the greeting. */
    private static final class TooMany extends ChannelInboundHandlerAdapter {
        private final int limit;

        TooMany(int limit) {
            this.limit = limit;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ErrPacket error = ErrPacket.of(ErrorCode.ER_CON_COUNT_ERROR, "Too many connections: the admin port takes"
                    + " at most " + limit + " (admin.max_connections); close an admin session and retry");
            ctx.writeAndFlush(PacketEncoder.encode(ctx.alloc(), 0,
                    out -> error.write(out, Capability.of(Capability.CLIENT_PROTOCOL_41))))
                    .addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
