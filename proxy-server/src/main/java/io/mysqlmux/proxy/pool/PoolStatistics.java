package io.mysqlmux.proxy.pool;

import io.mysqlmux.proxy.backend.StatementCounts;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Counters of one pool that the admin views and metrics read: how long leases waited (every lease,
 * 0 for an idle connection at hand), queue waits, timeouts and overflows, failed validations, and
 * the prepared statements held on its connections (how often statements had to be prepared again on
 * another connection, how many fell out of a connection's cache).
 */
public final class PoolStatistics implements StatementCounts {
    /** Waits are kept in microseconds, up to an hour, to three significant digits. */
    private static final long MAX_WAIT_MICROS = TimeUnit.HOURS.toMicros(1);

    private final ConcurrentHistogram waits = new ConcurrentHistogram(MAX_WAIT_MICROS, 3);
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong queueFull = new AtomicLong();
    private final AtomicLong validationFailures = new AtomicLong();
    private final AtomicLong statementsHeld = new AtomicLong();
    private final AtomicLong reprepares = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private volatile LongConsumer waitObserver = nanos -> { };

    /** A lease was granted after {@code nanos} of waiting. */
    void waited(long nanos) {
        waits.recordValue(Math.min(MAX_WAIT_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos)));
        waitObserver.accept(nanos);
    }

    /** The metrics registry's hook: every lease wait, in nanoseconds. */
    public void observeWaits(LongConsumer observer) {
        this.waitObserver = observer;
    }

    void enqueued() {
        queued.incrementAndGet();
    }

    void timedOut(long waitedNanos) {
        timeouts.incrementAndGet();
        waited(waitedNanos);
    }

    void queueFull() {
        queueFull.incrementAndGet();
    }

    void validationFailed() {
        validationFailures.incrementAndGet();
    }

    @Override
    public void statementPrepared() {
        statementsHeld.incrementAndGet();
    }

    @Override
    public void statementEvicted() {
        statementsHeld.decrementAndGet();
        evictions.incrementAndGet();
    }

    @Override
    public void statementsGone(int count) {
        statementsHeld.addAndGet(-count);
    }

    /** A client statement was prepared again on a connection that did not have it. */
    public void reprepared() {
        reprepares.incrementAndGet();
    }

    /** A copy of the lease waits since start, in microseconds. */
    public Histogram waitsMicros() {
        return waits.copy();
    }

    /** Commands that had to wait in the queue. */
    public long queued() {
        return queued.get();
    }

    /** Of those, how many gave up at queue_timeout. */
    public long timeouts() {
        return timeouts.get();
    }

    /** Commands refused at once because queue_max commands already waited. */
    public long queueFullRejections() {
        return queueFull.get();
    }

    /** Idle connections found dead by COM_PING before they were lent. */
    public long validationFailures() {
        return validationFailures.get();
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
