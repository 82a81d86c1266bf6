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

/**
 * A client's COM_CHANGE_USER, checked like a login: a mysql_native_password token signed with the
 * connection's greeting scramble is accepted at once; otherwise (another plugin, or a client that
 * signs with a fresh scramble) the proxy asks for a native token with an AuthSwitchRequest, as
 * MariaDB itself does. Accepted, the session starts over as that user; refused, it is closed, as the
 * server closes it.
 */
final class ChangeUserExchange {
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
        ChangeUserExchange exchange = new ChangeUserExchange(session, request);
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
            session.fail(ErrPacket.of(ErrorCode.ER_ACCESS_DENIED_ERROR, "Access denied for user '" + request.user()
                    + "'@'" + session.client().host() + "' (using password: " + (token.length == 0 ? "NO" : "YES") + ")"),
                    sequenceId + 1);
            return;
        }
        accept(sequenceId + 1);
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
                session.tracked().wanted().multiStatements()));
        BackendPool pool = services.pools().pool(services.users().get(request.user()),
                session.pool().key().shape());
        session.startOver(request.user(), fresh, pool);
        if (request.schema() == null || services.pools().isKnownSchema(request.schema())) {
            session.reply(session.ok(okSequenceId));
            session.commandDone(null);
        } else {
            session.run(CommandExchange.schemaCheck(session, okSequenceId));
        }
    }

    private boolean verify(byte[] scramble, byte[] token) {
        byte[] stored = session.services().users().nativePasswordHash(request.user());
        return stored != null && NativePassword.verify(stored, scramble, token);
    }
}
