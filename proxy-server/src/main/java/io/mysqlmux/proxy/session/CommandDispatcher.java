package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.command.ComSetOption;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.proxy.error.ClientPackets;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.sql.StatementTraits;
import io.netty.buffer.ByteBuf;

/**
 * Where each client command goes ({@link CommandRoute}): to a server connection as a
 * {@link CommandExchange}, or answered by the proxy itself (ping without a held connection,
 * COM_SET_OPTION, a reset with nothing held, KILL, refusals).
 */
final class CommandDispatcher {

    private CommandDispatcher() {
    }

    /** Takes up one command (consumed); the session is dispatching. */
    static void dispatch(ClientSession session, ByteBuf frames) {
        int sequenceId = Packets.sequenceId(frames);
        CommandCode code = CommandCode.of(Packets.firstByte(frames));
        if (sequenceId != 0) {
            frames.release();
            session.fail(ProxyError.PACKETS_OUT_OF_ORDER.packet(sequenceId), sequenceId + 1);
            return;
        }
        switch (CommandRoute.of(code)) {
            case FORWARD -> session.run(CommandExchange.of(session, frames, code, StatementTraits.NONE));
            case QUERY -> query(session, frames);
            case PING -> ping(session, frames, code);
            case QUIT -> {
                frames.release();
                session.quit();
            }
            case SET_OPTION -> setOption(session, frames);
            case RESET_CONNECTION -> resetConnection(session, frames, code);
            case CHANGE_USER -> ChangeUserExchange.start(session, frames);
            case PROCESS_KILL -> processKill(session, frames);
            case PREPARE -> StatementCommands.prepare(session, frames);
            case STATEMENT -> StatementCommands.statement(session, frames, code);
            case CLOSE_STATEMENT -> StatementCommands.close(session, frames);
            default -> unsupported(session, frames, code);
        }
    }

    /** COM_QUERY: the lexer looks for what tracking cannot see, and the session's own values go in. */
    private static void query(ClientSession session, ByteBuf frames) {
        QueryPreparation.Prepared prepared = QueryPreparation.prepare(frames, session, session.tracked(),
                session.status());
        session.lastStatement(prepared.head());
        StatementTraits traits = prepared.traits();
        if (traits.kill() != null) {
            prepared.frames().release();
            SessionKills.kill(session, traits.kill());
            return;
        }
        if (traits.has(StatementTraits.SESSION_TRACKING)) {
            session.tracked().trackingMayChange();
        }
        session.run(CommandExchange.of(session, prepared.frames(), CommandCode.COM_QUERY, traits)
                .prepared(prepared.atSend(), prepared.injected()));
    }

    /** With a held connection the server answers (it checks that connection); otherwise the proxy does. */
    private static void ping(ClientSession session, ByteBuf frames, CommandCode code) {
        if (session.backend() != null) {
            session.run(CommandExchange.of(session, frames, code, StatementTraits.NONE));
            return;
        }
        frames.release();
        session.reply(session.ok(1));
    }

    /** Only the session's wish changes; it is applied when a server connection is next used. */
    private static void setOption(ClientSession session, ByteBuf frames) {
        try {
            ComSetOption option = ComSetOption.read(Packets.payload(frames));
            session.tracked().wanted().multiStatements(option.multiStatements());
            session.reply(ClientPackets.endOfData(frames.alloc(), 1, 0, session.status(), session.client().capabilities()));
        } catch (MalformedPacketException e) {
            session.replyError((ProxyError.MALFORMED_PACKET.packet(e.getMessage())));
        } finally {
            frames.release();
        }
    }

    /** Held connection: the server resets it (and the response is relayed). Otherwise only the wish changes. */
    private static void resetConnection(ClientSession session, ByteBuf frames, CommandCode code) {
        if (session.backend() != null) {
            session.run(CommandExchange.of(session, frames, code, StatementTraits.NONE));
            return;
        }
        frames.release();
        session.tracked().reset(session.services().pools().globalsEpoch());
        session.reply(session.ok(1));
    }

    /** COM_PROCESS_KILL: like KILL CONNECTION with the proxy's client id. */
    private static void processKill(ClientSession session, ByteBuf frames) {
        long target = frames.readableBytes() >= 9 ? frames.getUnsignedIntLE(Packets.payloadIndex(frames, 1)) : -1;
        frames.release();
        SessionKills.kill(session, new StatementTraits.KillStatement(false, target, target >= 0));
    }

    private static void unsupported(ClientSession session, ByteBuf frames, CommandCode code) {
        String name = code == CommandCode.UNKNOWN
                ? "command byte 0x" + Integer.toHexString(Packets.firstByte(frames)) : code.name();
        frames.release();
        session.replyError((ProxyError.UNSUPPORTED_COMMAND.packet(name)));
    }
}
