package io.mysqlmux.proxy.pool;

import io.netty.util.concurrent.ScheduledFuture;

/**
 * A requester's place in a pool's queue. One per client session, reused for each of its commands
 * that has to wait: it is in a queue or it is not, and whether a hand-off, its timeout or a cancel
 * gets it is decided by who takes it out of the queue, under the pool's lock. The ticket tells one
 * wait from the next, so a timer that fires late cannot end a later wait.
 */
public final class Waiter {
    private final LeaseRequester requester;
    private long enqueuedNanos;
    private long ticket;
    private ScheduledFuture<?> timeout;
    // Links of the queue (WaitQueue), under the pool's lock.
    Waiter previous;
    Waiter next;
    boolean queued;

    public Waiter(LeaseRequester requester) {
        this.requester = requester;
    }

    LeaseRequester requester() {
        return requester;
    }

    /** A new wait begins (under the pool's lock); returns its ticket. */
    long enqueued() {
        enqueuedNanos = System.nanoTime();
        return ++ticket;
    }

    long enqueuedNanos() {
        return enqueuedNanos;
    }

    long ticket() {
        return ticket;
    }

    /** How long the current (or last) wait has lasted. */
    public long waitedNanos() {
        return System.nanoTime() - enqueuedNanos;
    }

    void timeout(ScheduledFuture<?> future) {
        timeout = future;
    }

    /** Stops its timer once it has left the queue by another way. */
    void cancelTimeout() {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
