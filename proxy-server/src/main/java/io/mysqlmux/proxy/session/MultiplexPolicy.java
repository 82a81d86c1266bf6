package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.packet.SessionStateChanges;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.proxy.sql.StatementTraits;

import java.util.Locale;
import java.util.Set;

/**
 * Decides from what the server reported whether a server connection may go back to the pool. State
 * is learned from the server (status flags and session tracking), not guessed from SQL: a change
 * the proxy can replay elsewhere (schema, session variables) is moved; anything else pins.
 */
public final class MultiplexPolicy {
    /** Variables whose value cannot be set again on another connection (side effects, privileges). */
    private static final Set<String> UNREPLAYABLE = Set.of("timestamp", "insert_id", "identity",
            "rand_seed1", "rand_seed2", "gtid_next", "gtid_seq_no", "gtid_domain_id", "server_id", "sql_log_bin",
            "pseudo_thread_id", "pseudo_slave_mode", "skip_replication");
    /** Reported by the tracker but read-only or the proxy's own: never replayed, never pinning. */
    private static final Set<String> IGNORED = Set.of("last_gtid", "redirect_url", "session_track_schema",
            "session_track_state_change", "session_track_system_variables", "session_track_transaction_info",
            "session_track_gtids", "session_track_user_variables");
    private static final String TRACKING_PREFIX = "session_track_";

    private MultiplexPolicy() {
    }

    /** The permanent pin an OK's session-state block calls for, or null. */
    public static PinReason pinFor(SessionStateChanges changes) {
        for (SessionStateChanges.Variable variable : changes.systemVariables()) {
            if (UNREPLAYABLE.contains(variable.name().toLowerCase(Locale.ROOT))) {
                return PinReason.UNREPLAYABLE_VARIABLE;
            }
        }
        // The state-change flag with nothing movable beside it: a user variable, temporary table,
        // SQL-level PREPARE or similar. (Transaction state entries come without the flag.)
        boolean movable = changes.schema() != null || changes.systemVariables().stream().anyMatch(v -> !isIgnored(v.name()));
        if (changes.stateChanged() && !movable) {
            return PinReason.UNKNOWN_STATE_CHANGE;
        }
        return null;
    }

    /** The permanent pin the statement text calls for (state no tracker reports), or null. */
    public static PinReason pinFor(StatementTraits traits) {
        if (traits.has(StatementTraits.USER_VARIABLE)) {
            return PinReason.USER_VARIABLE;
        }
        if (traits.has(StatementTraits.TEMPORARY_TABLE)) {
            return PinReason.TEMPORARY_TABLE;
        }
        if (traits.has(StatementTraits.SQL_PREPARE)) {
            return PinReason.SQL_PREPARE;
        }
        if (traits.has(StatementTraits.NAMED_LOCK)) {
            return PinReason.NAMED_LOCK;
        }
        if (traits.has(StatementTraits.HANDLER)) {
            return PinReason.HANDLER;
        }
        if (traits.has(StatementTraits.SEQUENCE)) {
            return PinReason.SEQUENCE;
        }
        if (traits.has(StatementTraits.UNREPLAYABLE_VARIABLE)) {
            return PinReason.UNREPLAYABLE_VARIABLE;
        }
        if (traits.has(StatementTraits.ROLE)) {
            return PinReason.ROLE;
        }
        if (traits.has(StatementTraits.SESSION_STATUS)) {
            return PinReason.SESSION_STATUS;
        }
        if (traits.has(StatementTraits.UNREADABLE)) {
            return PinReason.UNKNOWN_STATE_CHANGE;
        }
        return null;
    }

    /** Variables the proxy neither replays nor pins for. */
    public static boolean isIgnored(String variable) {
        return IGNORED.contains(variable.toLowerCase(Locale.ROOT));
    }

    /** True for the proxy's own tracking settings, which a client statement must not leave changed. */
    public static boolean isTrackingVariable(String variable) {
        return variable.toLowerCase(Locale.ROOT).startsWith(TRACKING_PREFIX);
    }

    /**
     * Why the connection must stay with the session after a response, or null to release it.
     *
     * @param status                     final status flags of the response
     * @param transactionState           last SESSION_TRACK_TRANSACTION_STATE string, or null
     * @param transactionCharacteristics last SESSION_TRACK_TRANSACTION_CHARACTERISTICS, or null
     */
    public static PinReason holdFor(int status, String transactionState, String transactionCharacteristics) {
        if (ServerStatus.isInTransaction(status)) {
            return PinReason.TRANSACTION;
        }
        if (ServerStatus.cursorExists(status)) {
            return PinReason.CURSOR;
        }
        if (transactionState != null && transactionState.length() >= 8 && transactionState.charAt(7) == 'L') {
            return PinReason.LOCK_TABLES;
        }
        if (transactionCharacteristics != null && !transactionCharacteristics.isEmpty()) {
            return PinReason.PENDING_TRANSACTION_CHARACTERISTICS;
        }
        return null;
    }

    /**
     * Status to assume after a response that ended in ERR, which carries no status: an error cannot
     * end a transaction the proxy does not know of, but with autocommit off it may have started one.
     */
    public static int statusAfterError(int lastKnownStatus) {
        if (!ServerStatus.isAutocommit(lastKnownStatus)) {
            return lastKnownStatus | ServerStatus.SERVER_STATUS_IN_TRANS;
        }
        return lastKnownStatus;
    }
}
