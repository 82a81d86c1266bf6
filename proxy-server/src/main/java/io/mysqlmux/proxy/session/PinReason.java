package io.mysqlmux.proxy.session;

/**
 * Why a client session keeps its server connection after a response ended. Some reasons last only
 * until the server reports them gone (a transaction commits, a cursor is exhausted); the permanent
 * ones last until the client disconnects or resets its session.
 */
public enum PinReason {
    TRANSACTION(false, "transaction open"),
    CURSOR(false, "cursor open"),
    LOCK_TABLES(false, "LOCK TABLES held"),
    PENDING_TRANSACTION_CHARACTERISTICS(false, "SET TRANSACTION waits for the next transaction"),
    UNKNOWN_STATE_CHANGE(true, "session state the proxy cannot move (user variable, temporary table, SQL PREPARE, ...)"),
    UNREPLAYABLE_VARIABLE(true, "a session variable that cannot be replayed on another connection");

    private final boolean permanent;
    private final String description;

    PinReason(boolean permanent, String description) {
        this.permanent = permanent;
        this.description = description;
    }

    /** True when only a disconnect or a session reset ends it. */
    public boolean isPermanent() {
        return permanent;
    }

    public String description() {
        return description;
    }
}
