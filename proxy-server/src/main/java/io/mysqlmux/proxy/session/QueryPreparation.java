package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.proxy.sql.StatementInspector;
import io.mysqlmux.proxy.sql.StatementRewriter;
import io.mysqlmux.proxy.sql.StatementTraits;
import io.mysqlmux.proxy.sql.StatementTraits.Function;
import io.mysqlmux.proxy.sql.StatementTraits.FunctionCall;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Looks at a COM_QUERY before it is sent: what the lexer finds ({@link StatementInspector}) and,
 * where the statement asks for values that belong to the client session, those values put in.
 * CONNECTION_ID() is the proxy's id for the client; ROW_COUNT() and FOUND_ROWS() in the first
 * statement refer to the client's previous command, which may have run on another server
 * connection (later statements of a multi-statement text run right after the one they refer to,
 * on the same connection, so the server answers them). FOUND_ROWS() after SQL_CALC_FOUND_ROWS is
 * left to the server: that connection was held for it.
 */
final class QueryPreparation {

    /** The frames to send (the same, or rewritten), what the lexer found, and the text for views. */
    record Prepared(ByteBuf frames, StatementTraits traits, String head) {
    }

    private QueryPreparation() {
    }

    /** Consumes {@code frames}; the returned frames are the caller's. */
    static Prepared prepare(ByteBuf frames, ClientSession session, TrackedState tracked, int status) {
        StatementBytes text = StatementBytes.of(frames);
        byte[] sql = text.sql();
        StatementTraits traits = StatementInspector.inspect(sql, 0, sql.length,
                ServerStatus.noBackslashEscapes(status), (status & ServerStatus.SERVER_STATUS_ANSI_QUOTES) != 0);
        List<FunctionCall> replaced = replaced(traits, tracked);
        if (replaced.isEmpty()) {
            return new Prepared(frames, traits, text.head());
        }
        byte[] rewritten = StatementRewriter.rewrite(sql, 0, sql.length, replaced,
                function -> value(function, session, tracked));
        ByteBuf command = PacketEncoder.encode(frames.alloc(), 0,
                out -> out.writeByte(CommandCode.COM_QUERY.code()).writeBytes(rewritten));
        frames.release();
        return new Prepared(command, traits, text.head());
    }

    private static List<FunctionCall> replaced(StatementTraits traits, TrackedState tracked) {
        if (traits.calls().isEmpty()) {
            return List.of();
        }
        List<FunctionCall> replaced = new ArrayList<>(traits.calls().size());
        for (FunctionCall call : traits.calls()) {
            boolean sessionValue = switch (call.function()) {
                case CONNECTION_ID -> true;
                case ROW_COUNT -> call.statement() == 0;
                case FOUND_ROWS -> call.statement() == 0 && !tracked.foundRowsOnServer();
            };
            if (sessionValue) {
                replaced.add(call);
            }
        }
        return replaced;
    }

    private static long value(Function function, ClientSession session, TrackedState tracked) {
        return switch (function) {
            case CONNECTION_ID -> session.id();
            case ROW_COUNT -> tracked.rowCount();
            case FOUND_ROWS -> tracked.foundRows();
        };
    }
}
