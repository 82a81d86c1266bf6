package io.mysqlmux.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a load run counted: units of work and statements done, their latency (HdrHistogram, in
 * microseconds, recorded from the event loops without locks), connections made and refused, and
 * errors by MySQL error code. {@link #reset()} starts the measured period after a warm-up.
 */
public final class LoadStats {
    private static final long MAX_LATENCY_MICROS = 600_000_000L;

    private final Recorder latency = new Recorder(MAX_LATENCY_MICROS, 3);
    private final Histogram total = new Histogram(MAX_LATENCY_MICROS, 3);
    private final LongAdder units = new LongAdder();
    private final LongAdder statements = new LongAdder();
    private final LongAdder connected = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder failedClients = new LongAdder();
    private final LongAdder finishedClients = new LongAdder();
    private final Map<Integer, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicLong firstErrorSet = new AtomicLong();
    private volatile String firstError;
    private volatile long periodStartNanos = System.nanoTime();

    void unitDone(long nanos) {
        latency.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(1, nanos / 1000)));
        units.increment();
    }

    void statementDone() {
        statements.increment();
    }

    void connected() {
        connected.increment();
    }

    /** A TCP connect failed or timed out (no MySQL error). */
    void connectFailed(String reason) {
        connectFailures.increment();
        noteFirst(reason);
    }

    /** The server (or proxy) answered ERR {@code code}, at login or to a statement. */
    void error(int code, String message) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
        noteFirst(code + ": " + message);
    }

    /** A client gave up (login refused, connection lost). */
    void clientFailed() {
        failedClients.increment();
    }

    /** A client did all its work. */
    void clientFinished() {
        finishedClients.increment();
    }

    private void noteFirst(String what) {
        if (firstErrorSet.compareAndSet(0, 1)) {
            firstError = what;
        }
    }

    /** Starts the measured period: counters and latencies so far (the warm-up) are dropped. */
    public synchronized void reset() {
        latency.getIntervalHistogram();
        total.reset();
        units.reset();
        statements.reset();
        errors.clear();
        periodStartNanos = System.nanoTime();
    }

    /** Latencies of the measured period so far (microseconds). */
    public synchronized Histogram latencyMicros() {
        total.add(latency.getIntervalHistogram());
        return total.copy();
    }

    public long units() {
        return units.sum();
    }

    public long statements() {
        return statements.sum();
    }

    public long connectedCount() {
        return connected.sum();
    }

    public long connectFailures() {
        return connectFailures.sum();
    }

    public long failedClients() {
        return failedClients.sum();
    }

    public long finishedClients() {
        return finishedClients.sum();
    }

    /** Errors by code in the measured period (ordered by code). */
    public Map<Integer, Long> errors() {
        Map<Integer, Long> byCode = new TreeMap<>();
        errors.forEach((code, count) -> byCode.put(code, count.sum()));
        return byCode;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The first error seen, for a report line. */
    public String firstError() {
        return firstError;
    }

    public double secondsSinceReset() {
        return (System.nanoTime() - periodStartNanos) / 1e9;
    }
}
