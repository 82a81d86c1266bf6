package io.mysqlmux.proxy.frontend;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.auth.NativePassword;
import io.mysqlmux.protocol.auth.Scramble;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.PacketTooLargeException;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.handshake.HandshakeV10;
import io.mysqlmux.protocol.handshake.LoginResult;
import io.mysqlmux.protocol.handshake.LoginStep;
import io.mysqlmux.protocol.handshake.ServerLogin;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.proxy.backend.ServerInfo;
import io.mysqlmux.proxy.backend.SessionState;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.error.ClientPackets;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.session.ClientSession;
import io.mysqlmux.proxy.session.TrackedState;
import io.mysqlmux.proxy.stats.ProxyStats;
import io.mysqlmux.proxy.stats.RejectReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The connection phase of a client: greeting (with the server's own version and the capabilities
 * the proxy carries through), login checked against the configured users, then hands the channel to
 * a {@link ClientSession} and {@link ClientCommandHandler}.
 */
final class ClientLoginHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientLoginHandler.class);

    /**
     * What the proxy offers clients (AND what the server offers). Not offered: compression and TLS
     * (not implemented), query attributes and optional metadata (they change request and response
     * bytes), IGNORE_SPACE and INTERACTIVE (they would change the shared server session), and the
     * MariaDB extensions but bulk execution and progress reports (metadata caching would hide column
     * definitions the proxy re-prepares under; extended metadata would split pools once more).
     */
    static final long OFFERED = Capability.CLIENT_LONG_PASSWORD | Capability.CLIENT_FOUND_ROWS
            | Capability.CLIENT_LONG_FLAG | Capability.CLIENT_CONNECT_WITH_DB | Capability.CLIENT_LOCAL_FILES
            | Capability.CLIENT_PROTOCOL_41 | Capability.CLIENT_TRANSACTIONS | Capability.CLIENT_SECURE_CONNECTION
            | Capability.CLIENT_MULTI_STATEMENTS | Capability.CLIENT_MULTI_RESULTS | Capability.CLIENT_PS_MULTI_RESULTS
            | Capability.CLIENT_PLUGIN_AUTH | Capability.CLIENT_CONNECT_ATTRS
            | Capability.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | Capability.CLIENT_SESSION_TRACK
            | Capability.CLIENT_DEPRECATE_EOF | Capability.MARIADB_CLIENT_STMT_BULK_OPERATIONS
            | Capability.MARIADB_CLIENT_PROGRESS;

    private final FrontendServer frontend;
    private long connectionId;
    private ServerInfo info;
    private ServerLogin login;
    private ScheduledFuture<?> timeout;

    ClientLoginHandler(FrontendServer frontend) {
        this.frontend = frontend;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connectionId = frontend.nextConnectionId();
        long millis = handshakeTimeoutMillis();
        timeout = ctx.executor().schedule(() -> timedOut(ctx), millis, TimeUnit.MILLISECONDS);
        frontend.services().pools().serverInfo().whenKnown(ctx.executor(), known -> greet(ctx, known));
        ctx.fireChannelActive();
    }

    private void greet(ChannelHandlerContext ctx, ServerInfo known) {
        if (!ctx.channel().isActive()) {
            return;
        }
        info = known;
        HandshakeV10 greeting = new HandshakeV10(known.serverVersion(), connectionId,
                Scramble.generate(frontend.services().random()), known.capabilities().and(Capability.of(OFFERED)),
                known.defaultCollation(), known.statusFlags(), NativePassword.PLUGIN_NAME);
        login = new ServerLogin(greeting, frontend.services().users(), host(ctx));
        ctx.writeAndFlush(PacketEncoder.encode(ctx.alloc(), 0, greeting::write));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (login == null || Packets.isContinued(frame)) {
                refuse(ctx, ErrPacket.of(ErrorCode.ER_HANDSHAKE_ERROR, "Bad handshake: unexpected packet"
                        + (login == null ? " before the greeting" : " of 16 MiB or more")), 1);
                return;
            }
            LoginStep step = login.onPacket(Packets.payload(frame), Packets.sequenceId(frame));
            if (step instanceof LoginStep.Send send) {
                ctx.writeAndFlush(PacketEncoder.encode(ctx.alloc(), send.sequenceId(), send.payload()));
            } else if (step instanceof LoginStep.Done done) {
                loggedIn(ctx, login.result(), done.sequenceId());
            } else if (step instanceof LoginStep.Failed failed) {
                log.info("c{} login refused for '{}' from {}: {}", connectionId, login.user(), host(ctx),
                        failed.error().message());
                stats().reject(failed.error().code() == ErrorCode.ER_ACCESS_DENIED_ERROR.code()
                        ? RejectReason.ACCESS_DENIED : RejectReason.BAD_HANDSHAKE);
                refuse(ctx, failed.error(), failed.sequenceId());
            }
        } catch (MalformedPacketException e) {
            stats().reject(RejectReason.BAD_HANDSHAKE);
            refuse(ctx, ErrPacket.of(ErrorCode.ER_HANDSHAKE_ERROR, "Bad handshake: " + e.getMessage()), 2);
        } finally {
            frame.release();
        }
    }

    private void loggedIn(ChannelHandlerContext ctx, LoginResult result, int okSequenceId) {
        timeout.cancel(false);
        String refusedCharset = info.collations().refusedClientCharset(result.collation());
        if (refusedCharset != null) {
            stats().reject(RejectReason.BAD_HANDSHAKE);
            refuse(ctx, ProxyError.CLIENT_CHARSET_REFUSED.packet(refusedCharset), okSequenceId);
            return;
        }
        int limit = frontend.services().settings().userMaxConnections(result.user());
        if (!frontend.services().sessions().admit(result.user(), limit)) {
            stats().reject(RejectReason.USER_MAX_CONNECTIONS);
            log.info("c{} login refused for '{}' from {}: the user has {} client connections (users.{}.max_connections)",
                    connectionId, result.user(), host(ctx), limit, result.user());
            refuse(ctx, ProxyError.USER_CONNECTION_LIMIT.packet(result.user(), limit, limit, result.user()),
                    okSequenceId);
            return;
        }
        SessionState initial = new SessionState(result.database(),
                info.collations().handshakeVariables(result.collation(), info.defaultCollation()),
                result.capabilities().has(Capability.CLIENT_MULTI_STATEMENTS));
        ClientSession session = new ClientSession(connectionId, ctx.channel(), result, login.greeting().scramble(),
                frontend.services(), new TrackedState(initial, frontend.services().pools().globalsEpoch()), info.statusFlags());
        ctx.pipeline().replace(this, "commands", new ClientCommandHandler(session));
        log.debug("{} logged in (capabilities {}, collation {}, attributes {})", session, result.capabilities(),
                result.collation(), result.connectAttributes());
        session.start(okSequenceId);
    }

    private void timedOut(ChannelHandlerContext ctx) {
        String why = info == null
                ? "mysqlmux has not reached the server at " + frontend.services().config().backend() + " yet; retry later"
                : "login not completed within " + handshakeTimeoutMillis() + " ms (client.handshake_timeout)";
        log.debug("c{} from {}: {}", connectionId, host(ctx), why);
        stats().reject(RejectReason.HANDSHAKE_TIMEOUT);
        refuse(ctx, ErrPacket.of(info == null ? ErrorCode.ER_UNKNOWN_ERROR : ErrorCode.ER_HANDSHAKE_ERROR, why),
                info == null ? 0 : 2);
    }

    private void refuse(ChannelHandlerContext ctx, ErrPacket error, int sequenceId) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        Capability caps = info == null ? null : Capability.of(Capability.CLIENT_PROTOCOL_41);
        ctx.writeAndFlush(ClientPackets.err(ctx.alloc(), sequenceId, error, caps))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PacketTooLargeException tooLarge) {
            stats().reject(RejectReason.BAD_HANDSHAKE);
            frontend.services().stats().oversizedPacket();
            refuse(ctx, ProxyError.PACKET_TOO_LARGE.packet(tooLarge.size(), tooLarge.limit()),
                    Packets.nextSequenceId(tooLarge.sequenceId()));
            return;
        }
        log.debug("c{} during login: {}", connectionId, cause.toString());
        ctx.close();
    }

    private long handshakeTimeoutMillis() {
        return frontend.services().settings().value(Setting.CLIENT_HANDSHAKE_TIMEOUT);
    }

    private ProxyStats stats() {
        return frontend.services().stats();
    }

    private static String host(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address
                ? address.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
    }
}
