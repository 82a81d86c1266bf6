package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.command.ComSetOption;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.proxy.relay.ClientPackets;
import io.mysqlmux.proxy.relay.ProxyError;
import io.mysqlmux.proxy.sql.StatementTraits;
import io.netty.buffer.ByteBuf;

/**
 * Where each client command goes ({@link CommandRoute}): to a server connection, or answered by the
 * proxy itself (ping without a held connection, COM_SET_OPTION, a reset with nothing held, refusals).
 */
final class CommandDispatcher {

    private CommandDispatcher() {
    }

    /** Runs one command (consumed); the session is idle. */
    static void dispatch(ClientSession session, ByteBuf frames) {
        int sequenceId = Packets.sequenceId(frames);
        CommandCode code = CommandCode.of(Packets.firstByte(frames));
        if (sequenceId != 0) {
            frames.release();
            session.fail(ProxyError.PACKETS_OUT_OF_ORDER.packet(sequenceId), sequenceId + 1);
            return;
        }
        switch (CommandRoute.of(code)) {
            case FORWARD -> session.forward(frames, code);
            case QUERY -> session.query(frames);
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

    /** With a held connection the server answers (it checks that connection); otherwise the proxy does. */
    private static void ping(ClientSession session, ByteBuf frames, CommandCode code) {
        if (session.backend() != null) {
            session.forward(frames, code);
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
            session.reply(ClientPackets.endOfData(frames.alloc(), 1, 0, session.status(), session.capabilities()));
        } catch (MalformedPacketException e) {
            session.reply(session.err(ProxyError.MALFORMED_PACKET.packet(e.getMessage())));
        } finally {
            frames.release();
        }
    }

    /** Held connection: the server resets it (and the response is relayed). Otherwise only the wish changes. */
    private static void resetConnection(ClientSession session, ByteBuf frames, CommandCode code) {
        if (session.backend() != null) {
            session.forward(frames, code);
            return;
        }
        frames.release();
        session.tracked().reset();
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
        session.reply(session.err(ProxyError.UNSUPPORTED_COMMAND.packet(name)));
    }
}
