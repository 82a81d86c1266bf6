package io.mysqlmux.admin.http;

import io.mysqlmux.admin.ControlView;
import io.mysqlmux.admin.Health;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP side for platforms: {@code GET /metrics} (Prometheus text), {@code /health/live} and
 * {@code /health/ready} (200, or 503 with the reason, for Kubernetes probes). Anything else is 404
 * (405 for other methods). Answers come from the {@link ControlView}, which does not block, so they
 * are built on the endpoint's own event loop.
 */
public final class HttpEndpoint extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String PLAIN = "text/plain; charset=utf-8";

    private final ControlView control;

    private HttpEndpoint(ControlView control) {
        this.control = control;
    }

    /** Binds the endpoint on {@code group}; returns the listening channel. */
    public static Channel bind(EventLoopGroup group, ControlView control, InetSocketAddress address) {
        Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new HttpEndpoint(control));
                    }
                }).bind(address).syncUninterruptibly().channel();
        log.info("HTTP endpoint listening on {} (/metrics, /health/live, /health/ready)", channel.localAddress());
        return channel;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        FullHttpResponse response;
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, PLAIN, "only GET\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        } else {
            response = switch (path) {
                case "/metrics" -> text(HttpResponseStatus.OK, PROMETHEUS_TEXT, control.prometheusText());
                case "/health/live" -> health(control.health().live(), "live");
                case "/health/ready" -> ready(control.health());
                default -> text(HttpResponseStatus.NOT_FOUND, PLAIN,
                        "not found: try /metrics, /health/live or /health/ready\n");
            };
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (request.method().equals(HttpMethod.HEAD)) {
            response.content().clear();
        }
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse health(boolean ok, String what) {
        return text(ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, PLAIN,
                (ok ? what : "not " + what) + "\n");
    }

    private static FullHttpResponse ready(Health health) {
        return health.ready() ? text(HttpResponseStatus.OK, PLAIN, "ready\n")
                : text(HttpResponseStatus.SERVICE_UNAVAILABLE, PLAIN, "not ready: " + health.reason() + "\n");
    }

    private static FullHttpResponse text(HttpResponseStatus status, String contentType, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(response, content.readableBytes());
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP endpoint: {}", cause.toString());
        ctx.close();
    }
}
