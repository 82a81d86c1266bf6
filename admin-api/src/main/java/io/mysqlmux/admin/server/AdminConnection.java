package io.mysqlmux.admin.server;

import io.mysqlmux.admin.ControlView;
import io.mysqlmux.admin.sql.AdminParser;
import io.mysqlmux.admin.sql.AdminStatement;
import io.mysqlmux.admin.sql.AdminSyntaxException;
import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.auth.NativePassword;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.PacketTooLargeException;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.handshake.HandshakeV10;
import io.mysqlmux.protocol.handshake.LoginStep;
import io.mysqlmux.protocol.handshake.ServerLogin;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One admin connection: the login (mysql_native_password, only the admin user), then one text
 * command at a time, each answered in full before the next is read. Statements the admin language
 * does not have get ERROR 1064 with the position, and the connection stays usable.
 */
final class AdminConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AdminConnection.class);
    private static final long HANDSHAKE_TIMEOUT_SECONDS = 10;
    /** What the admin port offers: the 4.1 protocol, plugin auth, and EOF-less result sets. */
    private static final long OFFERED = Capability.CLIENT_LONG_PASSWORD | Capability.CLIENT_FOUND_ROWS
            | Capability.CLIENT_LONG_FLAG | Capability.CLIENT_CONNECT_WITH_DB | Capability.CLIENT_PROTOCOL_41
            | Capability.CLIENT_TRANSACTIONS | Capability.CLIENT_SECURE_CONNECTION | Capability.CLIENT_MULTI_RESULTS
            | Capability.CLIENT_PLUGIN_AUTH | Capability.CLIENT_CONNECT_ATTRS
            | Capability.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | Capability.CLIENT_DEPRECATE_EOF;

    private final ControlView control;
    private final AdminSettings settings;
    private final long connectionId;
    private final byte[] adminHash;
    private ServerLogin login;
    private ScheduledFuture<?> timeout;
    private ResultWriter writer;
    private StatementExecutor executor;

    AdminConnection(ControlView control, AdminSettings settings, long connectionId) {
        this.control = control;
        this.settings = settings;
        this.connectionId = connectionId;
        this.adminHash = NativePassword.storedHash(settings.password().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        HandshakeV10 greeting = new HandshakeV10(settings.serverVersion(), connectionId,
                io.mysqlmux.protocol.auth.Scramble.generate(new java.security.SecureRandom()), Capability.of(OFFERED),
                45, ServerStatus.SERVER_STATUS_AUTOCOMMIT, NativePassword.PLUGIN_NAME);
        login = new ServerLogin(greeting, user -> user.equals(settings.user()) ? adminHash : null, host(ctx));
        timeout = ctx.executor().schedule(() -> refuse(ctx, ErrPacket.of(ErrorCode.ER_HANDSHAKE_ERROR,
                "login not completed within " + HANDSHAKE_TIMEOUT_SECONDS + " s"), 2),
                HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ctx.writeAndFlush(PacketEncoder.encode(ctx.alloc(), 0, greeting::write));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (executor == null) {
                onLoginPacket(ctx, frame);
            } else {
                onCommand(ctx, frame);
            }
        } finally {
            frame.release();
        }
    }

    private void onLoginPacket(ChannelHandlerContext ctx, ByteBuf frame) {
        LoginStep step;
        try {
            step = login.onPacket(Packets.payload(frame), Packets.sequenceId(frame));
        } catch (MalformedPacketException | IllegalStateException e) {
            refuse(ctx, ErrPacket.of(ErrorCode.ER_HANDSHAKE_ERROR, "Bad handshake: " + e.getMessage()), 2);
            return;
        }
        if (step instanceof LoginStep.Send send) {
            ctx.writeAndFlush(PacketEncoder.encode(ctx.alloc(), send.sequenceId(), send.payload()));
        } else if (step instanceof LoginStep.Failed failed) {
            log.warn("admin login refused for '{}' from {}: {}", login.user(), address(ctx), failed.error().message());
            ErrPacket error = failed.error().code() == ErrorCode.ER_ACCESS_DENIED_ERROR.code()
                    ? ErrPacket.of(ErrorCode.ER_ACCESS_DENIED_ERROR, failed.error().message()
                    + ": this is the mysqlmux admin port; log in as the admin user (admin.user)")
                    : failed.error();
            refuse(ctx, error, failed.sequenceId());
        } else if (step instanceof LoginStep.Done done) {
            timeout.cancel(false);
            Capability caps = login.result().capabilities();
            writer = new ResultWriter(ctx.channel(), caps);
            executor = new StatementExecutor(control, new StatementExecutor.Caller(connectionId, login.user(),
                    address(ctx), settings.serverVersion()));
            log.info("admin {} logged in from {}", login.user(), address(ctx));
            ctx.writeAndFlush(PacketEncoder.encode(ctx.alloc(), done.sequenceId(),
                    out -> OkPacket.of(ServerStatus.SERVER_STATUS_AUTOCOMMIT).write(out, caps)));
        }
    }

    private void onCommand(ChannelHandlerContext ctx, ByteBuf frame) {
        if (Packets.payloadLength(frame) == 0) {
            writer.write(new AdminResult.Error(1047, "08S01", "empty command packet"));
            return;
        }
        CommandCode code = CommandCode.of(Packets.firstByte(frame));
        switch (code) {
            case COM_QUIT -> ctx.close();
            case COM_PING, COM_INIT_DB, COM_RESET_CONNECTION -> writer.write(new AdminResult.Ok(0, ""));
            case COM_SET_OPTION -> writer.writeEndOfData();
            case COM_STATISTICS -> writer.writeText("mysqlmux admin port: " + control.stats().clientConnections()
                    + " client connections, " + control.stats().serverConnections() + " server connections");
            case COM_QUERY -> query(ctx, frame);
            case COM_STMT_PREPARE -> writer.write(new AdminResult.Error(1295, "HY000", "This command is not supported"
                    + " in the prepared statement protocol yet: the admin port takes plain text statements"
                    + " (e.g. useServerPrepStmts=false)"));
            default -> writer.write(new AdminResult.Error(1047, "08S01", "Unknown command " + code
                    + " on the mysqlmux admin port"));
        }
    }

    private void query(ChannelHandlerContext ctx, ByteBuf frame) {
        ByteBuf payload = Packets.payload(frame);
        String sql = payload.toString(payload.readerIndex() + 1, payload.readableBytes() - 1, StandardCharsets.UTF_8);
        AdminResult result;
        try {
            AdminStatement statement = AdminParser.parse(sql);
            result = executor.execute(statement);
        } catch (AdminSyntaxException e) {
            log.debug("admin statement refused: {}: {}", sql, e.getMessage());
            result = new AdminResult.Error(1064, "42000", e.getMessage());
        } catch (RuntimeException e) {
            log.error("admin statement failed: {}", sql, e);
            result = new AdminResult.Error(1105, "HY000", "the statement failed inside mysqlmux (" + e
                    + "); see the proxy's log");
        }
        Runnable after = executor.takeAfterReply();
        var written = writer.write(result);
        if (after != null) {
            written.addListener(f -> after.run());
        }
    }

    private void refuse(ChannelHandlerContext ctx, ErrPacket error, int sequenceId) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.writeAndFlush(PacketEncoder.encode(ctx.alloc(), sequenceId,
                out -> error.write(out, Capability.of(Capability.CLIENT_PROTOCOL_41))))
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
            refuse(ctx, ErrPacket.of(ErrorCode.ER_NET_PACKET_TOO_LARGE, "Got a packet bigger than the admin port"
                    + " accepts (" + tooLarge.limit() + " bytes)"), Packets.nextSequenceId(tooLarge.sequenceId()));
            return;
        }
        log.debug("admin connection from {}: {}", address(ctx), cause.toString());
        ctx.close();
    }

    private static String host(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "?";
    }

    private static String address(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(ctx.channel().remoteAddress());
    }
}
