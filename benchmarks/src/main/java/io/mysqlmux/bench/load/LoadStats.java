package io.mysqlmux.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a load run counted: units of work and statements done, their latency (HdrHistogram, in
 * microseconds, recorded from the event loops without locks), connections made and refused, and
 * errors by MySQL error code. {@link #reset()} starts the measured period after a warm-up.
 *
 * <p>Totals alone hide a proxy that serves some clients and starves the rest: with the pool as the
 * bottleneck the starved clients cost no throughput, and as they finish almost no units they barely
 * move the percentiles (a client that waits 10 s for a queue timeout adds one sample where a served
 * one adds thousands). So each client's units are counted too ({@link #servedPerClient()}), and the
 * longest single statement, and the errors of the warm-up are kept apart instead of dropped.
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
    /** Errors counted before the last {@link #reset()}: the warm-up's. */
    private final Map<Integer, Long> warmupErrors = new TreeMap<>();
    private final LongAccumulator maxStatementMicros = new LongAccumulator(Math::max, 0);
    /** Per client index (sized by the run): units that ended without an error, and errors. */
    private volatile AtomicLongArray served = new AtomicLongArray(0);
    private volatile AtomicLongArray failed = new AtomicLongArray(0);
    private final AtomicLong firstErrorSet = new AtomicLong();
    private volatile String firstError;
    private volatile long periodStartNanos = System.nanoTime();

    /** The run has {@code clients} clients, numbered from 0: per-client counts start at 0. */
    void sizeFor(int clients) {
        served = new AtomicLongArray(clients);
        failed = new AtomicLongArray(clients);
    }

    /** Client {@code client} finished a unit in {@code nanos}; {@code ok} when none of its statements failed. */
    void unitDone(int client, long nanos, boolean ok) {
        latency.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(1, nanos / 1000)));
        units.increment();
        AtomicLongArray counts = ok ? served : failed;
        if (client < counts.length()) {
            counts.incrementAndGet(client);
        }
    }

    void statementDone(long nanos) {
        statements.increment();
        maxStatementMicros.accumulate(nanos / 1000);
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
        errors.forEach((code, count) -> warmupErrors.merge(code, count.sum(), Long::sum));
        errors.clear();
        maxStatementMicros.reset();
        for (int i = 0; i < served.length(); i++) {
            served.set(i, 0);
            failed.set(i, 0);
        }
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

    /** Errors by code before the measured period (during the logins and the warm-up). */
    public synchronized Map<Integer, Long> warmupErrors() {
        return new TreeMap<>(warmupErrors);
    }

    /** The longest single statement of the measured period, from sent to its last answer packet (µs). */
    public long maxStatementMicros() {
        return maxStatementMicros.get();
    }

    /** Units each client finished without an error in the measured period, by client index. */
    public long[] servedPerClient() {
        return snapshot(served);
    }

    /** Units each client finished with an error in the measured period, by client index. */
    public long[] failedPerClient() {
        return snapshot(failed);
    }

    private static long[] snapshot(AtomicLongArray counts) {
        long[] copy = new long[counts.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts.get(i);
        }
        return copy;
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
