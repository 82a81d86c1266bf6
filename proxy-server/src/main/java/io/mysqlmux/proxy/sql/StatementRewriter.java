package io.mysqlmux.proxy.sql;

import io.mysqlmux.proxy.sql.StatementTraits.Function;
import io.mysqlmux.proxy.sql.StatementTraits.FunctionCall;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Puts the client session's own answer in place of calls whose server answer would be the server
 * connection's: {@code CONNECTION_ID()} (the proxy's id for the client), {@code ROW_COUNT()} and
 * {@code FOUND_ROWS()} (from the client's previous statement, which may have run elsewhere). A call
 * that is a whole select item keeps its column label ({@code 17 AS `CONNECTION_ID()`}); inside an
 * expression the value is parenthesised.
 */
public final class StatementRewriter {

    private StatementRewriter() {
    }

    /**
     * @param sql    statement bytes; calls' positions are relative to {@code offset}'s array start
     * @param values the value for each function
     */
    public static byte[] rewrite(byte[] sql, int offset, int length, List<FunctionCall> calls,
                                 ToLongFunction<Function> values) {
        return rewriteText(sql, offset, length, calls, call -> Long.toString(values.applyAsLong(call.function())));
    }

    /** As {@link #rewrite}, with any SQL expression in place of each call. */
    public static byte[] rewriteText(byte[] sql, int offset, int length, List<FunctionCall> calls,
                                     java.util.function.Function<FunctionCall, String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + calls.size() * 24);
        int copied = offset;
        for (FunctionCall call : calls) {
            out.write(sql, copied, call.start() - copied);
            String value = values.apply(call);
            String replacement = call.bareSelectItem()
                    ? value + " AS `" + label(sql, call) + "`"
                    : "(" + value + ")";
            out.writeBytes(replacement.getBytes(StandardCharsets.UTF_8));
            copied = call.end();
        }
        out.write(sql, copied, offset + length - copied);
        return out.toByteArray();
    }

    /** The call's own text, as the server would have used it for the column label. */
    public static String label(byte[] sql, FunctionCall call) {
        return new String(sql, call.start(), call.end() - call.start(), StandardCharsets.UTF_8).replace("`", "``");
    }
}
