package io.mysqlmux.bench.scenario;

import io.mysqlmux.bench.load.LoadStats;
import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * The figures of one target at one client count.
 *
 * @param unitsPerSecond      transactions (or single statements) per second
 * @param statementsPerSecond statements per second
 * @param p50Micros           latency of one unit of work, median (µs); likewise p95, p99, max
 * @param errors              errors by MySQL error code
 */
public record Measurement(String target, int clients, double seconds, long units, double unitsPerSecond,
                          double statementsPerSecond, long p50Micros, long p95Micros, long p99Micros, long maxMicros,
                          long connectFailures, Map<Integer, Long> errors) {

    public static Measurement of(String target, int clients, LoadStats stats) {
        double seconds = stats.secondsSinceReset();
        Histogram latency = stats.latencyMicros();
        return new Measurement(target, clients, seconds, stats.units(), stats.units() / seconds,
                stats.statements() / seconds, latency.getValueAtPercentile(50), latency.getValueAtPercentile(95),
                latency.getValueAtPercentile(99), latency.getMaxValue(), stats.connectFailures(), stats.errors());
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum() + connectFailures;
    }
}
