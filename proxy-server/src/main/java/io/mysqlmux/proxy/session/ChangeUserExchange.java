package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.auth.NativePassword;
import io.mysqlmux.protocol.auth.Scramble;
import io.mysqlmux.protocol.command.ComChangeUser;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.handshake.AuthSwitchRequest;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.proxy.backend.SessionState;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.pool.BackendPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A client's COM_CHANGE_USER, checked like a login: a mysql_native_password token signed with the
 * connection's greeting scramble is accepted at once; otherwise (another plugin, or a client that
 * signs with a fresh scramble) the proxy asks for a native token with an AuthSwitchRequest, as
 * MariaDB itself does. Accepted, the session starts over as that user; refused, it is closed, as the
 * server closes it.
 */
final class ChangeUserExchange {
    /** How long the server makes a refused COM_CHANGE_USER wait (sql_parse.cc: my_sleep(1000000)). */
    private static final long REFUSAL_DELAY_MILLIS = 1000;
    /** Refusals after which the server refuses the command itself on that connection. */
    private static final int MAX_FAILURES = 3;

    private final ClientSession session;
    private final ComChangeUser request;
    private byte[] switchScramble;

    private ChangeUserExchange(ClientSession session, ComChangeUser request) {
        this.session = session;
        this.request = request;
    }

    /** Handles the COM_CHANGE_USER packet (consumed). */
    static void start(ClientSession session, ByteBuf frames) {
        ByteBufAllocator alloc = frames.alloc();
        ComChangeUser request;
        try {
            request = ComChangeUser.read(Packets.payload(frames), session.client().capabilities());
        } catch (MalformedPacketException e) {
            session.fail(ProxyError.MALFORMED_PACKET.packet(e.getMessage()), 1);
            return;
        } finally {
            frames.release();
        }
        if (session.client().changeUserFailures() >= MAX_FAILURES) {
            session.replyError(ErrPacket.of(ErrorCode.ER_UNKNOWN_COM_ERROR, "Unknown command"));
            return;
        }
        ChangeUserExchange exchange = new ChangeUserExchange(session, request);
        String refused = request.collation() >= 0
                ? session.services().serverInfo().collations().refusedClientCharset(request.collation()) : null;
        if (refused != null) {
            session.replyError(ProxyError.CLIENT_CHARSET_REFUSED.packet(refused));
            return;
        }
        String plugin = request.authPluginName();
        if ((plugin.isEmpty() || plugin.equals(NativePassword.PLUGIN_NAME))
                && exchange.verify(session.greetingScramble(), request.authResponse())) {
            exchange.accept(1);
            return;
        }
        exchange.switchScramble = Scramble.generate(session.services().random());
        AuthSwitchRequest switchRequest = new AuthSwitchRequest(NativePassword.PLUGIN_NAME,
                Arrays.copyOf(exchange.switchScramble, exchange.switchScramble.length + 1));
        session.awaitAuthSwitch(exchange, PacketEncoder.encode(alloc, 1, switchRequest::write));
    }

    /** The client's answer to the switch request (consumed). */
    void answered(ByteBuf frame) {
        int sequenceId = Packets.sequenceId(frame);
        byte[] token = ByteBufUtil.getBytes(Packets.payload(frame));
        frame.release();
        if (!verify(switchScramble, token)) {
            refuse(ErrPacket.of(ErrorCode.ER_ACCESS_DENIED_ERROR, "Access denied for user '" + request.user()
                    + "'@'" + session.client().host() + "' (using password: " + (token.length == 0 ? "NO" : "YES") + ")"),
                    sequenceId + 1);
            return;
        }
        accept(sequenceId + 1);
    }

    /**
     * Refused: as the server does, the session goes on as it was (user, schema, state), the answer
     * comes after a second (a brake on guessing), and after three refusals the command is refused
     * at once on this connection.
     */
    private void refuse(ErrPacket error, int sequenceId) {
        session.client().changeUserFailed();
        session.answerLater();
        session.executor().schedule(() -> {
            if (!session.isClosed()) {
                session.reply(session.client().err(error, sequenceId));
                session.commandDone(null);
            }
        }, REFUSAL_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Accepted: what the session held is cleaned by the pool (the next user must not see it), and
     * the session starts over as the new user, with the login's checks (connection limit, schema).
     */
    private void accept(int okSequenceId) {
        SessionServices services = session.services();
        int limit = services.config().settings().userMaxConnections(request.user());
        if (!services.sessions().changeUser(session.user(), request.user(), limit)) {
            session.fail(ProxyError.USER_CONNECTION_LIMIT.packet(request.user(), limit, limit, request.user()),
                    okSequenceId);
            return;
        }
        int collation = request.collation() >= 0 ? request.collation() : session.login().collation();
        TrackedState fresh = new TrackedState(new SessionState(request.schema(), services.serverInfo().collations()
                .handshakeVariables(collation, services.serverInfo().defaultCollation()),
                session.tracked().wanted().multiStatements()), services.pools().globalsEpoch());
        BackendPool pool = services.pools().pool(services.users().get(request.user()),
                session.pool().key().shape());
        session.startOver(request.user(), fresh, pool, () -> {
            if (request.schema() == null || services.pools().isKnownSchema(request.schema())) {
                session.reply(session.ok(okSequenceId));
                session.commandDone(null);
            } else {
                session.run(CommandExchange.schemaCheck(session, okSequenceId));
            }
        });
    }

    private boolean verify(byte[] scramble, byte[] token) {
        byte[] stored = session.services().users().nativePasswordHash(request.user());
        return stored != null && NativePassword.verify(stored, scramble, token);
    }
}
