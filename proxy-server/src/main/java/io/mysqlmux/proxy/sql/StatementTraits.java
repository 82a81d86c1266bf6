package io.mysqlmux.proxy.sql;

import java.util.List;

/**
 * What {@link StatementInspector} found in a statement that session tracking cannot tell the
 * proxy: state no tracker reports, functions whose answer belongs to the client session rather than
 * the server connection, KILL, and changes to the proxy's own tracking settings.
 *
 * @param flags     bit set of the constants below
 * @param calls     the calls whose value the proxy may have to supply (CONNECTION_ID, FOUND_ROWS, ROW_COUNT)
 * @param kill      the KILL statement, or null
 * @param variables the session variables a SET assigns (lower case): the server's tracker may not
 *                  report them all (MariaDB leaves out plugin variables such as innodb_lock_wait_timeout)
 * @param oneShot   the variables of {@code SET STATEMENT ... FOR}: they hold for that statement only
 * @param diagnostics a {@code SHOW WARNINGS|ERRORS} or {@code SHOW COUNT(*) WARNINGS|ERRORS}, or null
 * @param limitOffset the offset of a top-level {@code SELECT ... LIMIT offset, n} (0 without), which
 *                    the server counts in FOUND_ROWS()
 */
public record StatementTraits(int flags, List<FunctionCall> calls, KillStatement kill, List<String> variables,
                              List<String> oneShot, Diagnostics diagnostics, long limitOffset) {
    /** {@code SET @x = ...}, {@code @x := ...}, {@code ... INTO @x}. */
    public static final int USER_VARIABLE = 1;
    public static final int TEMPORARY_TABLE = 1 << 1;
    /** SQL-level {@code PREPARE}. */
    public static final int SQL_PREPARE = 1 << 2;
    /** {@code GET_LOCK()}: a named lock held by the server session. */
    public static final int NAMED_LOCK = 1 << 3;
    /** {@code HANDLER t OPEN}. */
    public static final int HANDLER = 1 << 4;
    /** MariaDB sequences: {@code NEXTVAL}, {@code LASTVAL}, {@code SETVAL}, {@code NEXT/PREVIOUS VALUE FOR}. */
    public static final int SEQUENCE = 1 << 5;
    /** {@code SET insert_id|timestamp|...}: a variable that cannot be replayed elsewhere. */
    public static final int UNREPLAYABLE_VARIABLE = 1 << 6;
    /** {@code SQL_CALC_FOUND_ROWS}: the next FOUND_ROWS() must run on the same server connection. */
    public static final int CALC_FOUND_ROWS = 1 << 7;
    /** Mentions {@code session_track_*}: the proxy's own tracking may be changed. */
    public static final int SESSION_TRACKING = 1 << 8;
    /** {@code XA ...}: only a label (the server reports XA transactions as transactions). */
    public static final int XA = 1 << 9;
    /** The inspector failed on this text (a proxy bug): the statement pins, to be safe. */
    public static final int UNREADABLE = 1 << 10;
    /** Names tables: the server clears the diagnostics area for it (a SELECT 1 leaves it). */
    public static final int USES_TABLES = 1 << 11;
    /** {@code INSERT|REPLACE ... SELECT}: FOUND_ROWS() is then the rows its SELECT found. */
    public static final int INSERT_SELECT = 1 << 12;
    /** Reads the session's status counters, which belong to one server connection: it pins. */
    public static final int SESSION_STATUS = 1 << 13;
    /** GRANT, REVOKE, CREATE/DROP/ALTER USER or ROLE, SET PASSWORD ...: pooled connections log in again. */
    public static final int PRIVILEGES = 1 << 14;
    /** {@code SET GLOBAL} (or PERSIST): sessions that start later see the new value. */
    public static final int GLOBAL_SET = 1 << 15;
    /** {@code SET ROLE}: the session's privileges change; no reset undoes it on MariaDB. */
    public static final int ROLE = 1 << 16;

    public static final StatementTraits NONE = new StatementTraits(0, List.of(), null, List.of(), List.of(), null, 0);
    /** The usual statement: it names tables and nothing else of interest (shared, no allocation). */
    public static final StatementTraits TABLES_ONLY = new StatementTraits(USES_TABLES, List.of(), null, List.of(),
            List.of(), null, 0);

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public boolean isEmpty() {
        return flags == 0 && calls.isEmpty() && kill == null && variables.isEmpty() && oneShot.isEmpty()
                && diagnostics == null && limitOffset == 0;
    }

    /**
     * A function (or the variables {@code @@warning_count}, {@code @@error_count}) whose answer is the
     * client session's, found at {@code [start, end)} of the statement.
     */
    public enum Function { CONNECTION_ID, FOUND_ROWS, ROW_COUNT, WARNING_COUNT, ERROR_COUNT, IS_USED_LOCK }

    /**
     * A statement that reads the diagnostics area.
     *
     * @param errorsOnly SHOW ERRORS (else WARNINGS, which lists errors too)
     * @param count      SHOW COUNT(*) ...
     * @param offset     of {@code LIMIT offset, rows}
     * @param rows       of {@code LIMIT}, or -1 for all
     */
    public record Diagnostics(boolean errorsOnly, boolean count, long offset, long rows) {
    }

    /**
     * @param bareSelectItem the call is a whole select-list item without an alias, so the column's
     *                       label is the call's own text (which a replacement must keep)
     * @param statement      which statement of a multi-statement text it is in (0 = the first)
     */
    public record FunctionCall(Function function, int start, int end, boolean bareSelectItem, int statement) {
    }

    /**
     * {@code KILL [HARD|SOFT] [CONNECTION|QUERY] <id>}.
     *
     * @param query     true for KILL QUERY (the statement only), false for the whole connection
     * @param supported false for forms the proxy does not translate ({@code KILL USER}, {@code KILL QUERY ID})
     */
    public record KillStatement(boolean query, long id, boolean supported) {
    }
}
