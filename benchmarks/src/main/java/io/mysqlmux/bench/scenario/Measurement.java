package io.mysqlmux.bench.scenario;

import io.mysqlmux.bench.load.LoadStats;
import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * The figures of one target at one client count. Fairness and errors come first: a target that
 * serves a subset of its clients looks fast in every other column.
 *
 * @param unitsPerSecond           transactions (or single statements) per second
 * @param statementsPerSecond      statements per second
 * @param p50Micros                latency of one unit of work, median (µs); likewise p95, p99, max; -1 = not measured
 * @param maxStatementMicros       the longest single statement (µs): at a proxy, it includes the longest queue wait
 * @param errors                   errors by MySQL error code in the measured period
 * @param warmupErrors             errors by code before it (logins, warm-up), reported rather than dropped
 * @param fairness                 units each client got done
 * @param targetCpuMicrosPerQuery  CPU of the relaying process (mysqlmux, HAProxy) per statement; NaN = not measured
 * @param serverCpuMicrosPerQuery  CPU of the server process per statement; NaN = not measured
 * @param note                     one more line for the report (the proxy's own queue figures, sysbench's), or ""
 */
public record Measurement(String target, int clients, double seconds, long units, double unitsPerSecond,
                          double statementsPerSecond, long p50Micros, long p95Micros, long p99Micros, long maxMicros,
                          long maxStatementMicros, long connectFailures, Map<Integer, Long> errors,
                          Map<Integer, Long> warmupErrors, Fairness fairness, double targetCpuMicrosPerQuery,
                          double serverCpuMicrosPerQuery, String note) {

    /** CPU µs per statement of the target's relay and of the server, in that order. */
    public record Cpu(double target, double server) {
        public static final Cpu UNKNOWN = new Cpu(Double.NaN, Double.NaN);
    }

    public static Measurement of(String target, int clients, LoadStats stats, Cpu cpu, String note) {
        double seconds = stats.secondsSinceReset();
        Histogram latency = stats.latencyMicros();
        return new Measurement(target, clients, seconds, stats.units(), stats.units() / seconds,
                stats.statements() / seconds, latency.getValueAtPercentile(50), latency.getValueAtPercentile(95),
                latency.getValueAtPercentile(99), latency.getMaxValue(), stats.maxStatementMicros(),
                stats.connectFailures(), stats.errors(), stats.warmupErrors(),
                Fairness.of(stats.servedPerClient(), stats.failedPerClient()), cpu.target(), cpu.server(), note);
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum() + connectFailures;
    }

    /** Why this point must not be read as a throughput figure (errors, starved clients), or null. */
    public String problem() {
        String unfair = fairness.problem();
        long errorCount = errorCount();
        if (unfair == null && errorCount == 0) {
            return null;
        }
        String errorText = errorCount == 0 ? null : errorCount + " errors";
        return unfair == null ? errorText : errorText == null ? unfair : unfair + "; " + errorText;
    }
}
