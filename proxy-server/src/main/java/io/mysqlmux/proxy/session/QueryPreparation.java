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
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks at a COM_QUERY before it is sent: what the lexer finds ({@link StatementInspector}) and,
 * where the statement asks for values that belong to the client session, those values put in.
 *
 * <ul>
 *   <li>CONNECTION_ID() is the proxy's id for the client.</li>
 *   <li>ROW_COUNT(), and {@code @@warning_count}/{@code @@error_count} once the session's
 *       diagnostics are copied ({@link SessionDiagnostics}), are the session's own values.</li>
 *   <li>FOUND_ROWS() is decided when the connection is known ({@link #atSend}): on the connection
 *       that ran the session's previous statement, untouched since, the server answers it.</li>
 *   <li>SHOW WARNINGS / ERRORS of copied diagnostics become the same statement with LIMIT 0, so
 *       the server gives the exact column definitions, and the session's rows go in after them.</li>
 * </ul>
 * Only the first statement of a multi-statement text refers to the previous command; later ones
 * run right after theirs, on the same connection, and the server answers them.
 */
final class QueryPreparation {

    /**
     * The frames to send, what the lexer found, and the text for views.
     *
     * @param atSend   the statement text when FOUND_ROWS() is decided at send time, else null
     * @param injected the session's diagnostics rows to put in the server's empty answer, or null
     */
    record Prepared(ByteBuf frames, StatementTraits traits, String head, byte[] atSend, List<byte[]> injected) {
    }

    private QueryPreparation() {
    }

    /** Consumes {@code frames}; the returned frames are the caller's. */
    static Prepared prepare(ByteBuf frames, ClientSession session, TrackedState tracked, int status) {
        StatementBytes text = StatementBytes.of(frames);
        byte[] sql = text.sql();
        StatementTraits traits = StatementInspector.inspect(sql, 0, sql.length,
                ServerStatus.noBackslashEscapes(status), (status & ServerStatus.SERVER_STATUS_ANSI_QUOTES) != 0);
        SessionDiagnostics diagnostics = tracked.diagnostics();
        if (traits.diagnostics() != null && diagnostics.where() != SessionDiagnostics.Where.ON_SERVER) {
            return answerDiagnostics(frames, traits, text.head(), diagnostics);
        }
        if (traits.calls().stream().anyMatch(call -> call.function() == Function.FOUND_ROWS && call.statement() == 0
                && !tracked.foundRowsOnServer())) {
            return new Prepared(frames, traits, text.head(), sql, null);
        }
        return new Prepared(rewrite(frames, sql, traits, session, false), traits, text.head(), null, null);
    }

    /**
     * The connection is known: FOUND_ROWS() is the server's when the connection ran the session's
     * previous statement and nothing since; otherwise the session's count goes in (frames consumed).
     */
    static ByteBuf atSend(ByteBuf frames, byte[] sql, StatementTraits traits, ClientSession session,
                          boolean lastConnectionUntouched) {
        return rewrite(frames, sql, traits, session, lastConnectionUntouched);
    }

    private static ByteBuf rewrite(ByteBuf frames, byte[] sql, StatementTraits traits, ClientSession session,
                                   boolean foundRowsFromServer) {
        List<FunctionCall> replaced = replaced(traits, session.tracked(), foundRowsFromServer);
        if (replaced.isEmpty()) {
            return frames;
        }
        byte[] rewritten = StatementRewriter.rewriteText(sql, 0, sql.length, replaced,
                call -> call.function() == Function.IS_USED_LOCK ? lockHolder(sql, call, session)
                        : Long.toString(value(call.function(), session, session.tracked())));
        return encode(frames, rewritten);
    }

    private static List<FunctionCall> replaced(StatementTraits traits, TrackedState tracked,
                                               boolean foundRowsFromServer) {
        if (traits.calls().isEmpty()) {
            return List.of();
        }
        boolean diagnosticsCopied = tracked.diagnostics().where() != SessionDiagnostics.Where.ON_SERVER;
        List<FunctionCall> replaced = new ArrayList<>(traits.calls().size());
        for (FunctionCall call : traits.calls()) {
            boolean first = call.statement() == 0;
            boolean sessionValue = switch (call.function()) {
                case CONNECTION_ID -> true;
                case ROW_COUNT -> first;
                case FOUND_ROWS -> first && !tracked.foundRowsOnServer() && !foundRowsFromServer;
                case WARNING_COUNT, ERROR_COUNT -> first && diagnosticsCopied;
                case IS_USED_LOCK -> true;
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
            case WARNING_COUNT -> tracked.diagnostics().warningCount();
            case ERROR_COUNT -> tracked.diagnostics().errorCount();
            case IS_USED_LOCK -> throw new IllegalArgumentException("IS_USED_LOCK is an expression, not a value");
        };
    }

    /**
     * IS_USED_LOCK() answers the server thread of the lock's holder; a client knows sessions by the
     * ids the proxy gave them. The holders the proxy knows (sessions holding a server connection) are
     * mapped; any other holder is some other client of the server, and keeps the server's answer.
     */
    private static String lockHolder(byte[] sql, FunctionCall call, ClientSession session) {
        String original = StatementRewriter.label(sql, call).replace("``", "`");
        StringBuilder mapped = new StringBuilder("(CASE ").append(original);
        boolean any = false;
        for (ClientSession holder : session.services().sessions().all()) {
            io.mysqlmux.proxy.backend.BackendConnection held = holder.backend();
            if (held != null) {
                mapped.append(" WHEN ").append(held.serverThreadId()).append(" THEN ").append(holder.id());
                any = true;
            }
        }
        return any ? mapped.append(" ELSE ").append(original).append(" END)").toString() : original;
    }

    /** SHOW WARNINGS | ERRORS | COUNT(*) ... answered from the session's copy (frames consumed). */
    private static Prepared answerDiagnostics(ByteBuf frames, StatementTraits traits, String head,
                                              SessionDiagnostics diagnostics) {
        StatementTraits.Diagnostics show = traits.diagnostics();
        String kind = show.errorsOnly() ? "ERRORS" : "WARNINGS";
        if (show.count()) {
            long count = show.errorsOnly() ? diagnostics.errorCount() : diagnostics.warningCount();
            String label = "@@session." + (show.errorsOnly() ? "error_count" : "warning_count");
            return new Prepared(encode(frames, bytes("SELECT " + count + " AS `" + label + "`")), traits, head,
                    null, null);
        }
        return new Prepared(encode(frames, bytes("SHOW " + kind + " LIMIT 0")), traits, head, null,
                diagnostics.rows(show));
    }

    private static ByteBuf encode(ByteBuf frames, byte[] sql) {
        ByteBufAllocator alloc = frames.alloc();
        frames.release();
        return PacketEncoder.encode(alloc, 0, out -> out.writeByte(CommandCode.COM_QUERY.code()).writeBytes(sql));
    }

    private static byte[] bytes(String sql) {
        return sql.getBytes(StandardCharsets.UTF_8);
    }
}
