package io.mysqlmux.proxy.session;

/**
 * Why a client session keeps its server connection after a response ended. Holds last until the
 * server reports them gone (a transaction commits, a cursor is exhausted) or, for FOUND_ROWS, one
 * statement; pins last until the client disconnects, resets its session or changes user.
 */
public enum PinReason {
    TRANSACTION(false, "transaction"),
    CURSOR(false, "cursor"),
    LOCK_TABLES(false, "LOCK TABLES"),
    PENDING_TRANSACTION_CHARACTERISTICS(false, "SET TRANSACTION before START TRANSACTION"),
    FOUND_ROWS(false, "SQL_CALC_FOUND_ROWS awaiting FOUND_ROWS()"),
    LONG_DATA(false, "COM_STMT_SEND_LONG_DATA awaiting its execute"),
    USER_VARIABLE(true, "user variable"),
    TEMPORARY_TABLE(true, "temporary table"),
    SQL_PREPARE(true, "SQL PREPARE"),
    NAMED_LOCK(true, "GET_LOCK"),
    HANDLER(true, "HANDLER"),
    SEQUENCE(true, "sequence"),
    PREPARED_PREVIOUS_STATEMENT(true, "prepared statement reading ROW_COUNT() or FOUND_ROWS()"),
    UNREPLAYABLE_VARIABLE(true, "variable that cannot be replayed"),
    SESSION_STATUS(true, "session status counters read"),
    ROLE(true, "SET ROLE"),
    UNKNOWN_STATE_CHANGE(true, "unknown state change");

    private final boolean permanent;
    private final String description;

    PinReason(boolean permanent, String description) {
        this.permanent = permanent;
        this.description = description;
    }

    /** True when only a disconnect, a session reset or a user change ends it. */
    public boolean isPermanent() {
        return permanent;
    }

    /** Short words for admin views and logs. */
    public String description() {
        return description;
    }

    /** {@code user_variable}: the metric label. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
