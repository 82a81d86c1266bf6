package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.packet.SessionStateChanges;
import io.mysqlmux.proxy.backend.CollationTable;
import io.mysqlmux.proxy.backend.SessionState;
import io.mysqlmux.proxy.sql.StatementTraits;

import java.util.Locale;

/**
 * What a client session knows about its server-side state, from what the server reported after each
 * of its statements and what the lexer saw in them: the state it wants on any server connection
 * (schema, variables, multi-statements, last insert id), whether something unmovable pins it, the
 * transaction state that decides whether its server connection may go back to the pool, and the
 * values ROW_COUNT() and FOUND_ROWS() must give.
 */
public final class TrackedState {
    /** The session variable behind LAST_INSERT_ID(); the server accepts it back with SET. */
    public static final String LAST_INSERT_ID = "last_insert_id";

    private final SessionState wanted;
    private final ClientStatements statements = new ClientStatements();
    private volatile PinReason pin;
    /** What the server's reports of the running statement call for; the lexer may name it better. */
    private PinReason reportedPin;
    /** Holds the connection for exactly the next statement (SQL_CALC_FOUND_ROWS then FOUND_ROWS()). */
    private PinReason nextStatementHold;
    private String transactionState;
    private String transactionCharacteristics;
    private boolean trackingChanged;
    private boolean collationUnknown;
    private long rowCount = -1;
    private long foundRows;
    private long rowsInResultSet;

    /** @param initial the state right after login (schema, the handshake's character set) */
    public TrackedState(SessionState initial) {
        this.wanted = initial.copy();
    }

    /** The session's prepared statements (a fresh login, after COM_CHANGE_USER, has none). */
    ClientStatements statements() {
        return statements;
    }

    /** The state every server connection must have before this session's next command runs. */
    public SessionState wanted() {
        return wanted;
    }

    /**
     * Takes in a session-state block the server sent for one of this session's statements, and
     * mirrors the movable part onto {@code server} (the connection it ran on, which now has it).
     */
    public void observe(SessionStateChanges changes, SessionState server) {
        if (changes.schema() != null) {
            String schema = changes.schema().isEmpty() ? null : changes.schema();
            wanted.schema(schema);
            server.schema(schema);
        }
        boolean charsetReported = false;
        boolean collationReported = false;
        for (SessionStateChanges.Variable variable : changes.systemVariables()) {
            String name = variable.name().toLowerCase(Locale.ROOT);
            if (MultiplexPolicy.isTrackingVariable(name)) {
                trackingChanged = true;
            } else if (!MultiplexPolicy.isIgnored(name)) {
                wanted.variable(name, variable.value());
                server.variable(name, variable.value());
                charsetReported |= name.equals(CollationTable.CHARACTER_SET_CONNECTION);
                collationReported |= name.equals(CollationTable.COLLATION_CONNECTION);
            }
        }
        // MariaDB reports the character set SET NAMES changed but not the collation it implies
        // (which COLLATE may have chosen): the proxy asks for it before the connection moves on.
        collationUnknown |= charsetReported && !collationReported;
        if (changes.transactionState() != null) {
            transactionState = changes.transactionState();
        }
        if (changes.transactionCharacteristics() != null) {
            transactionCharacteristics = changes.transactionCharacteristics();
        }
        if (reportedPin == null) {
            reportedPin = MultiplexPolicy.pinFor(changes);
        }
    }

    /** An OK ended a statement: its affected rows are ROW_COUNT(); a generated id is LAST_INSERT_ID(). */
    public void okSeen(long affectedRows, long lastInsertId, SessionState server) {
        rowCount = affectedRows;
        if (lastInsertId != 0) {
            String value = Long.toString(lastInsertId);
            wanted.variable(LAST_INSERT_ID, value);
            server.variable(LAST_INSERT_ID, value);
        }
    }

    public void resultSetStarted() {
        rowsInResultSet = 0;
    }

    public void rowSeen() {
        rowsInResultSet++;
    }

    /** A result set ended: FOUND_ROWS() is its row count, ROW_COUNT() is -1. */
    public void resultSetEnded() {
        foundRows = rowsInResultSet;
        rowCount = -1;
    }

    public void errorSeen() {
        rowCount = -1;
    }

    /** After a statement: pins and one-statement holds that only the statement text reveals. */
    public void afterStatement(StatementTraits traits, boolean failedOutright) {
        nextStatementHold = traits.has(StatementTraits.CALC_FOUND_ROWS) && !failedOutright
                ? PinReason.FOUND_ROWS : null;
        PinReason named = failedOutright ? null : MultiplexPolicy.pinFor(traits);
        if (pin == null) {
            pin = named != null ? named : reportedPin;
        }
        reportedPin = null;
    }

    /** Pins for a reason only the proxy knows (a prepared statement that reads the previous statement's values). */
    public void pinFor(PinReason reason) {
        if (pin == null) {
            pin = reason;
        }
    }

    /** The permanent pin, or null. */
    public PinReason pin() {
        return pin;
    }

    /** Why the server connection must stay after a response with final {@code status}, or null. */
    public PinReason holdFor(int status) {
        if (pin != null) {
            return pin;
        }
        if (nextStatementHold != null) {
            return nextStatementHold;
        }
        PinReason hold = MultiplexPolicy.holdFor(status, transactionState, transactionCharacteristics);
        if (hold == null && statements.hasOpenCursor()) {
            return PinReason.CURSOR;
        }
        return hold == null && statements.hasLongDataPending() ? PinReason.LONG_DATA : hold;
    }

    /** True once: a client statement changed the proxy's session tracking, which must be put back. */
    public boolean takeTrackingChanged() {
        boolean changed = trackingChanged;
        trackingChanged = false;
        return changed;
    }

    /** A statement is about to run whose text names session tracking settings. */
    public void trackingMayChange() {
        trackingChanged = true;
    }

    /** True once: collation_connection changed unreported and must be read from the server. */
    public boolean takeCollationUnknown() {
        boolean unknown = collationUnknown;
        collationUnknown = false;
        return unknown;
    }

    /** Whether the next statement's FOUND_ROWS() must come from the server connection it holds. */
    public boolean foundRowsOnServer() {
        return nextStatementHold == PinReason.FOUND_ROWS;
    }

    public long rowCount() {
        return rowCount;
    }

    public long foundRows() {
        return foundRows;
    }

    /**
     * COM_RESET_CONNECTION or COM_CHANGE_USER: every session variable back to its global value (the
     * handshake's character set too, as the server does), LAST_INSERT_ID() 0, nothing pinned, no
     * prepared statement left.
     */
    public void reset() {
        wanted.resetVariables();
        statements.clear();
        pin = null;
        reportedPin = null;
        nextStatementHold = null;
        transactionState = null;
        transactionCharacteristics = null;
        rowCount = -1;
        foundRows = 0;
    }
}
