package io.mysqlmux.proxy.session;

import io.mysqlmux.proxy.sql.StatementTraits;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The session's diagnostics area, as its own server session would keep it: what SHOW WARNINGS,
 * SHOW ERRORS, {@code @@warning_count} and {@code @@error_count} answer.
 *
 * <p>The server keeps one area per connection, so the session's must be copied before its
 * connection serves anyone else. The server's rules, followed here: a statement that raises a
 * warning or an error replaces the area with its own; otherwise one that uses tables clears it,
 * and one that does not (SELECT 1, SET, DO) leaves it; the diagnostic statements only read it.
 * While the area lives only on the connection the session still holds ({@link Where#ON_SERVER}),
 * the server answers; once copied, the proxy does.
 */
final class SessionDiagnostics {
    /** Where the session's diagnostics are. */
    enum Where {
        /** No warnings or errors. */
        EMPTY,
        /** On the server connection the session holds; copied before it goes back. */
        ON_SERVER,
        /** Copied: the proxy answers. */
        COPIED
    }

    /** One condition, as a text row of SHOW WARNINGS (its payload) and whether its level is Error. */
    record Condition(byte[] row, boolean error) {
    }

    private Where where = Where.EMPTY;
    private int warningCount;
    private List<Condition> conditions = List.of();

    Where where() {
        return where;
    }

    /**
     * A statement ended.
     *
     * @param warnings the warning count its last packet carried (an ERR carries none)
     */
    void statementEnded(StatementTraits traits, int warnings, boolean failed) {
        if (traits.diagnostics() != null) {
            return; // reading the area leaves it as it is
        }
        if (failed || warnings > 0) {
            where = Where.ON_SERVER;
            warningCount = warnings;
            conditions = List.of();
        } else if (traits.has(StatementTraits.USES_TABLES)) {
            clear();
        }
    }

    /**
     * The area was copied from the server (the text rows of SHOW WARNINGS: Level, Code, Message).
     * The count is the statement's own, which may exceed the rows the server keeps (max_error_count).
     */
    void copied(List<byte[]> rows) {
        List<Condition> copy = new ArrayList<>(rows.size());
        for (byte[] row : rows) {
            copy.add(new Condition(row, isError(row)));
        }
        conditions = List.copyOf(copy);
        warningCount = Math.max(warningCount, copy.size());
        where = Where.COPIED;
    }

    /** COM_RESET_CONNECTION, COM_CHANGE_USER, or a statement that cleared the area. */
    void clear() {
        where = Where.EMPTY;
        warningCount = 0;
        conditions = List.of();
    }

    /** {@code @@warning_count}: every condition, errors included. */
    long warningCount() {
        return warningCount;
    }

    /** {@code @@error_count}. */
    long errorCount() {
        return conditions.stream().filter(Condition::error).count();
    }

    /** The rows a SHOW WARNINGS or SHOW ERRORS with its LIMIT answers, in order. */
    List<byte[]> rows(StatementTraits.Diagnostics show) {
        List<byte[]> rows = new ArrayList<>();
        long skipped = 0;
        for (Condition condition : conditions) {
            if (show.errorsOnly() && !condition.error()) {
                continue;
            }
            if (skipped++ < show.offset()) {
                continue;
            }
            if (show.rows() >= 0 && rows.size() >= show.rows()) {
                break;
            }
            rows.add(condition.row());
        }
        return rows;
    }

    /** The row's first column (lenenc string) is the level: "Error", "Warning" or "Note". */
    private static boolean isError(byte[] row) {
        int length = row.length > 0 ? row[0] & 0xFF : 0;
        return length < 0xFB && length + 1 <= row.length
                && "Error".equals(new String(row, 1, length, StandardCharsets.US_ASCII));
    }
}
