package io.mysqlmux.proxy.pool;

/**
 * Who holds a pool's connections, for the queue-timeout error: the pool knows only that they are
 * lent; the sessions know why. Implemented by the session registry.
 */
public interface HolderCensus {

    /** The holders of {@code pool}'s connections by what they do, e.g. {@code 3 running, 12 in a transaction}. */
    Holders of(BackendPool pool);

    /** Counts of the sessions holding a connection of one pool. */
    record Holders(int running, int inTransaction, int pinned) {
        /** True when most connections in use wait on their sessions' next statements, not on the server. */
        public boolean mostlyHeldBetweenStatements() {
            return inTransaction + pinned > running;
        }

        @Override
        public String toString() {
            return running + " running a statement, " + inTransaction + " in a transaction between statements, "
                    + pinned + " pinned";
        }
    }
}
