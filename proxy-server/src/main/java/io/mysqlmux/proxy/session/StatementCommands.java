package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.command.ComStmtBulkExecute;
import io.mysqlmux.protocol.command.ComStmtExecute;
import io.mysqlmux.protocol.command.StatementIds;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.ServerStatements;
import io.mysqlmux.proxy.backend.StatementKey;
import io.mysqlmux.proxy.backend.StatementMetadataCache;
import io.mysqlmux.proxy.error.ProxyError;
import io.mysqlmux.proxy.sql.StatementInspector;
import io.mysqlmux.proxy.sql.StatementRewriter;
import io.mysqlmux.proxy.sql.StatementTraits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Arrays;
import java.util.List;

/**
 * The binary protocol's commands as a session handles them. Clients get statement ids of the
 * proxy's; a PREPARE of text the pool has seen is answered from its cache; the others go to a
 * server connection, which gets the statement prepared (again) when it does not have it, and the id
 * in each command is rewritten to that connection's.
 */
final class StatementCommands {

    private StatementCommands() {
    }

    /** COM_STMT_PREPARE (consumed). */
    static void prepare(ClientSession session, ByteBuf frames) {
        ByteBufAllocator alloc = frames.alloc();
        StatementBytes text = StatementBytes.of(frames);
        byte[] sql = text.sql();
        StatementTraits traits = StatementInspector.inspect(sql, 0, sql.length,
                ServerStatus.noBackslashEscapes(session.status()),
                (session.status() & ServerStatus.SERVER_STATUS_ANSI_QUOTES) != 0);
        List<StatementTraits.FunctionCall> ids = traits.calls().stream()
                .filter(call -> call.function() == StatementTraits.Function.CONNECTION_ID).toList();
        ByteBuf command = frames;
        if (!ids.isEmpty()) {
            // CONNECTION_ID() is the same for every execution: the client's own id goes into the text.
            sql = StatementRewriter.rewrite(sql, 0, sql.length, ids, function -> session.id());
            byte[] rewritten = sql;
            command = PacketEncoder.encode(alloc, 0,
                    out -> out.writeByte(CommandCode.COM_STMT_PREPARE.code()).writeBytes(rewritten));
            frames.release();
        }
        StatementKey key = StatementKey.of(session.schema(), sql);
        long id = session.statements().nextId();
        StatementMetadataCache.Metadata cached = session.pool().metadata().get(key);
        session.lastStatement(text.head());
        if (cached == null) {
            session.run(CommandExchange.prepare(session, command, new PrepareCapture(id, key, traits)));
            return;
        }
        command.release();
        session.statements().add(new ClientStatement(id, key, cached.parameters(), cached.columns(), traits,
                new ClientStatement.Types()));
        session.response().replay(PrepareCapture.replay(cached, id, alloc), cached.kinds());
    }

    /** COM_STMT_EXECUTE, _FETCH, _RESET, _SEND_LONG_DATA, _BULK_EXECUTE (consumed). */
    static void statement(ClientSession session, ByteBuf frames, CommandCode code) {
        long id;
        try {
            id = StatementIds.get(frames);
        } catch (MalformedPacketException e) {
            frames.release();
            session.replyError((ProxyError.MALFORMED_PACKET.packet(e.getMessage())));
            return;
        }
        ClientStatement statement = session.statements().get(id);
        String refusal = refusal(session, frames, code, statement, id);
        if (refusal == null) {
            session.run(CommandExchange.onStatement(session, frames, code, statement));
            return;
        }
        frames.release();
        switch (refusal) {
            case "silent" -> { }
            case "ok" -> {
                session.statements().longDataDone(id);
                session.reply(session.ok(1));
            }
            case "unknown" -> session.replyError((ProxyError.UNKNOWN_STATEMENT.packet(id, code.name())));
            case "no cursor" -> session.replyError((ProxyError.NO_OPEN_CURSOR.packet(id)));
            default -> session.replyError((ProxyError.BULK_WITHOUT_TYPES.packet()));
        }
    }

    /** Why the proxy answers the command itself, or null to send it to the server. */
    private static String refusal(ClientSession session, ByteBuf frames, CommandCode code, ClientStatement statement,
                                  long id) {
        if (statement == null) {
            // A server remembers a failed SEND_LONG_DATA for the execute; it never answers it.
            return code == CommandCode.COM_STMT_SEND_LONG_DATA ? "silent" : "unknown";
        }
        boolean held = session.backend() != null;
        return switch (code) {
            // Without a held connection no long data or cursor of it exists anywhere: nothing to reset.
            case COM_STMT_RESET -> held ? null : "ok";
            case COM_STMT_FETCH -> held ? null : "no cursor";
            case COM_STMT_BULK_EXECUTE -> ComStmtBulkExecute.sendsTypes(frames) ? null : "bulk without types";
            default -> null;
        };
    }

    /**
     * Points the command at the server's statement: the id rewritten in place; for an execute whose
     * client relies on types the server statement does not have, the types put in. Returns false when
     * the command failed instead (the session has answered it).
     */
    static boolean bind(CommandExchange exchange, ServerStatements.Entry entry) {
        ByteBuf command = exchange.frames();
        ClientStatement statement = exchange.statement();
        StatementIds.set(command, entry.serverId());
        if (exchange.code() == CommandCode.COM_STMT_BULK_EXECUTE) {
            entry.boundTypes(null);
            return true;
        }
        int parameters = statement.parameters();
        if (exchange.code() != CommandCode.COM_STMT_EXECUTE || parameters == 0) {
            return true;
        }
        int status = exchange.session().backend().statusFlags();
        try {
            if (ComStmtExecute.typesIncluded(command, parameters)) {
                byte[] types = ComStmtExecute.types(command, parameters);
                statement.types().last(types);
                entry.boundTypes(types);
                return true;
            }
            byte[] last = statement.types().last();
            if (last == null || Arrays.equals(last, entry.boundTypes())) {
                return true;
            }
            if (Packets.isContinued(command)) {
                exchange.fail(ProxyError.TYPES_UNKNOWN.packet(), status);
                return false;
            }
            exchange.frames(ComStmtExecute.withTypes(command, parameters, last, command.alloc()));
            command.release();
            entry.boundTypes(last);
            return true;
        } catch (MalformedPacketException e) {
            exchange.fail(ProxyError.MALFORMED_PACKET.packet(e.getMessage()), status);
            return false;
        }
    }

    /** A COM_STMT_PREPARE answered by the server: the statement now exists for the client, the pool and that connection. */
    static void prepared(ClientSession session, PrepareCapture capture, boolean failed) {
        BackendConnection connection = session.backend();
        if (failed || capture.serverId() < 0 || connection == null) {
            return;
        }
        StatementSync.closeOnServer(connection, connection.statements().put(capture.key(), capture.serverId()));
        session.pool().metadata().put(capture.key(), capture.metadata());
        session.statements().add(capture.statement());
    }

    /**
     * A command on a client statement ended: long data is used up, a cursor opened or closed, stale
     * metadata dropped. Returns the traits the lexer found in the statement when it ran (executions
     * create the state, not the prepare).
     */
    static StatementTraits executed(ClientSession session, ClientStatement statement, CommandCode code, int status,
                                    boolean failed) {
        if (code == CommandCode.COM_STMT_EXECUTE || code == CommandCode.COM_STMT_RESET
                || code == CommandCode.COM_STMT_BULK_EXECUTE) {
            session.statements().longDataDone(statement.id());
        }
        if (code == CommandCode.COM_STMT_EXECUTE || code == CommandCode.COM_STMT_FETCH
                || code == CommandCode.COM_STMT_RESET) {
            session.statements().cursorAfter(statement.id(), status, failed);
        }
        if ((status & ServerStatus.SERVER_STATUS_METADATA_CHANGED) != 0) {
            session.pool().metadata().invalidate(statement.key());
        }
        if (code != CommandCode.COM_STMT_EXECUTE && code != CommandCode.COM_STMT_BULK_EXECUTE) {
            return StatementTraits.NONE;
        }
        if (!failed && statement.readsPreviousStatement()) {
            session.tracked().pinFor(PinReason.PREPARED_PREVIOUS_STATEMENT);
        }
        return statement.traits();
    }

    /** COM_STMT_CLOSE (consumed): no answer. */
    static void close(ClientSession session, ByteBuf frames) {
        long id = -1;
        try {
            id = StatementIds.get(frames);
        } catch (MalformedPacketException ignored) {
            // A server ignores a malformed close too: it has no answer to give.
        }
        frames.release();
        ClientStatement closed = session.statements().remove(id);
        if (closed != null && session.statements().closeCursor(id) && session.backend() != null) {
            closeCursor(session, closed);
        }
    }

    /**
     * The closed statement's cursor keeps the held connection: the cursor is closed on the server
     * (the client sees nothing), so that the connection can go back.
     */
    private static void closeCursor(ClientSession session, ClientStatement closed) {
        BackendConnection held = session.backend();
        ServerStatements.Entry entry = held.statements().get(closed.key());
        if (entry != null) {
            ByteBuf reset = PacketEncoder.encode(held.channel().alloc(), 0,
                    out -> out.writeByte(CommandCode.COM_STMT_RESET.code()).writeIntLE((int) entry.serverId()));
            session.run(CommandExchange.silent(session, reset, CommandCode.COM_STMT_RESET));
        }
    }
}
