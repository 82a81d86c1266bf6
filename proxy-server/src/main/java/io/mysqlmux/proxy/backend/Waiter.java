package io.mysqlmux.proxy.backend;

import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One command waiting in a pool's FIFO queue. Exactly one of hand-off, timeout and cancel claims it;
 * the loser of that race leaves it alone.
 */
public final class Waiter {
    private final LeaseRequester requester;
    private final long enqueuedNanos = System.nanoTime();
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile ScheduledFuture<?> timeout;

    Waiter(LeaseRequester requester) {
        this.requester = requester;
    }

    LeaseRequester requester() {
        return requester;
    }

    public long waitedNanos() {
        return System.nanoTime() - enqueuedNanos;
    }

    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    void timeout(ScheduledFuture<?> future) {
        this.timeout = future;
    }

    void cancelTimeout() {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
