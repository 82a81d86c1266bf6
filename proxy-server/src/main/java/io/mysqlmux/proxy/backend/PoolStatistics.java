package io.mysqlmux.proxy.backend;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one pool that the admin views and metrics read: prepared statements held on its
 * connections, how often statements had to be prepared again on another connection, and how many
 * fell out of a connection's cache.
 */
public final class PoolStatistics {
    private final AtomicLong statementsHeld = new AtomicLong();
    private final AtomicLong reprepares = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    void statementPrepared() {
        statementsHeld.incrementAndGet();
    }

    void statementEvicted() {
        statementsHeld.decrementAndGet();
        evictions.incrementAndGet();
    }

    void statementsGone(int count) {
        statementsHeld.addAndGet(-count);
    }

    /** A client statement was prepared again on a connection that did not have it. */
    public void reprepared() {
        reprepares.incrementAndGet();
    }

    public long statementsHeld() {
        return statementsHeld.get();
    }

    public long reprepares() {
        return reprepares.get();
    }

    public long evictions() {
        return evictions.get();
    }
}
