package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.packet.SessionStateChanges;
import io.mysqlmux.proxy.backend.CollationTable;
import io.mysqlmux.proxy.backend.SessionState;
import io.mysqlmux.proxy.sql.StatementTraits;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
    private final SessionDiagnostics diagnostics = new SessionDiagnostics();
    private long defaultsEpoch;
    private volatile PinReason pin;
    /** What the server's reports of the running statement call for; the lexer may name it better. */
    private PinReason reportedPin;
    /** Holds the connection for exactly the next statement (SQL_CALC_FOUND_ROWS then FOUND_ROWS()). */
    private PinReason nextStatementHold;
    private String transactionState;
    private String transactionCharacteristics;
    private boolean trackingChanged;
    private boolean collationUnknown;
    /** Variables the running statement assigns, with the values they had before, for SET STATEMENT ... FOR. */
    private Map<String, String> oneShotBefore = Map.of();
    /** Variables the tracker reported for the running statement. */
    private final Set<String> reportedNow = new HashSet<>();
    /** Variables a statement set that the tracker did not report: read from the server before the connection moves. */
    private final List<String> toRead = new ArrayList<>(0);
    private long rowCount = -1;
    private long foundRows;
    private long rowsInResultSet;

    /**
     * @param initial       the state right after login (schema, the handshake's character set)
     * @param defaultsEpoch the generation of global variables the session's defaults are ({@code Pools.globalsEpoch})
     */
    public TrackedState(SessionState initial, long defaultsEpoch) {
        this.wanted = initial.copy();
        this.defaultsEpoch = defaultsEpoch;
    }

    /** The generation of global variables this session's defaults were taken at. */
    long defaultsEpoch() {
        return defaultsEpoch;
    }

    /** The session's prepared statements (a fresh login, after COM_CHANGE_USER, has none). */
    ClientStatements statements() {
        return statements;
    }

    /** What SHOW WARNINGS and @@warning_count answer for this session. */
    SessionDiagnostics diagnostics() {
        return diagnostics;
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
                reportedNow.add(name);
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

    /**
     * FOUND_ROWS() as the server counts it, where the rows relayed do not tell: the offset of a
     * LIMIT counts (when rows came), and INSERT ... SELECT found the rows it inserted.
     */
    void foundRowsOf(StatementTraits traits, long affectedRows, boolean failed) {
        if (failed) {
            return;
        }
        if (traits.limitOffset() > 0 && foundRows > 0) {
            foundRows += traits.limitOffset();
        } else if (traits.has(StatementTraits.INSERT_SELECT)) {
            foundRows = affectedRows;
        }
    }

    /** A statement with these traits is about to run. */
    public void beforeStatement(StatementTraits traits) {
        reportedNow.clear();
        if (traits.oneShot().isEmpty()) {
            oneShotBefore = Map.of();
            return;
        }
        oneShotBefore = new HashMap<>();
        for (String name : traits.oneShot()) {
            oneShotBefore.put(name, wanted.variables().get(name));
        }
    }

    /**
     * The statement ended on a connection whose state is {@code server}: SET STATEMENT's values are
     * undone (the server undid them), and variables it set that the tracker left out are noted to be read.
     */
    public void variablesAfterStatement(StatementTraits traits, boolean failed, SessionState server) {
        oneShotBefore.forEach((name, before) -> {
            wanted.variable(name, before);
            server.variable(name, before);
        });
        oneShotBefore = Map.of();
        if (failed) {
            return;
        }
        for (String name : traits.variables()) {
            if (!reportedNow.contains(name) && !MultiplexPolicy.isIgnored(name)
                    && !MultiplexPolicy.isTrackingVariable(name) && !toRead.contains(name)) {
                toRead.add(name);
            }
        }
    }

    /** The variables to read from the server now (each once), including a collation SET NAMES left unreported. */
    public List<String> takeVariablesToRead() {
        if (collationUnknown && !toRead.contains(CollationTable.COLLATION_CONNECTION)) {
            toRead.add(CollationTable.COLLATION_CONNECTION);
        }
        collationUnknown = false;
        List<String> taken = List.copyOf(toRead);
        toRead.clear();
        return taken;
    }

    /** A value read from the server for one of {@link #takeVariablesToRead()}'s variables. */
    public void variableRead(String name, String value, SessionState server) {
        wanted.variable(name, value);
        server.variable(name, value);
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
    public void reset(long globalsEpoch) {
        defaultsEpoch = globalsEpoch;
        wanted.resetVariables();
        statements.clear();
        diagnostics.clear();
        pin = pin == PinReason.ROLE ? pin : null; // MariaDB's reset keeps a SET ROLE, and so its connection
        reportedPin = null;
        nextStatementHold = null;
        transactionState = null;
        transactionCharacteristics = null;
        rowCount = -1;
        foundRows = 0;
    }
}
