package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.packet.SessionStateChanges;
import io.mysqlmux.proxy.backend.CollationTable;
import io.mysqlmux.proxy.backend.SessionState;

/**
 * What a client session knows about its server-side state, from what the server reported after
 * each of its statements: the state it wants on any server connection (schema, variables,
 * multi-statements), whether something unmovable pins it, and the transaction state that decides
 * whether its server connection may go back to the pool.
 */
public final class TrackedState {
    private final SessionState wanted;
    private PinReason pin;
    private String transactionState;
    private String transactionCharacteristics;
    private boolean trackingChanged;

    /** @param initial the state right after login (schema, the handshake's character set) */
    public TrackedState(SessionState initial) {
        this.wanted = initial.copy();
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
            String name = variable.name().toLowerCase(java.util.Locale.ROOT);
            if (MultiplexPolicy.isTrackingVariable(name)) {
                trackingChanged = true;
            } else if (!MultiplexPolicy.isIgnored(name)) {
                wanted.variable(name, variable.value());
                server.variable(name, variable.value());
                charsetReported |= name.equals(CollationTable.CHARACTER_SET_CONNECTION);
                collationReported |= name.equals(CollationTable.COLLATION_CONNECTION);
            }
        }
        if (charsetReported && !collationReported) {
            wanted.variable(CollationTable.COLLATION_CONNECTION, SessionState.DERIVED);
            server.variable(CollationTable.COLLATION_CONNECTION, SessionState.DERIVED);
        }
        if (changes.transactionState() != null) {
            transactionState = changes.transactionState();
        }
        if (changes.transactionCharacteristics() != null) {
            transactionCharacteristics = changes.transactionCharacteristics();
        }
        if (pin == null) {
            pin = MultiplexPolicy.pinFor(changes);
        }
    }

    /** The permanent pin, or null. */
    public PinReason pin() {
        return pin;
    }

    /** Why the server connection must stay after a response with final {@code status}, or null. */
    public PinReason holdFor(int status) {
        return pin != null ? pin : MultiplexPolicy.holdFor(status, transactionState, transactionCharacteristics);
    }

    /** True once: a client statement changed the proxy's session tracking, which must be put back. */
    public boolean takeTrackingChanged() {
        boolean changed = trackingChanged;
        trackingChanged = false;
        return changed;
    }

    /** A statement is about to run whose text mentions session tracking settings. */
    public void trackingMayChange() {
        trackingChanged = true;
    }

    /**
     * COM_RESET_CONNECTION: every session variable back to its global value (the handshake's
     * character set too, as the server does), the schema kept, nothing pinned.
     */
    public void reset() {
        wanted.resetVariables();
        pin = null;
        transactionState = null;
        transactionCharacteristics = null;
    }
}
