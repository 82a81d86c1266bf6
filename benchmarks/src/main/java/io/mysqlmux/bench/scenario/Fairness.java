package io.mysqlmux.bench.scenario;

import java.util.Arrays;

/**
 * How evenly the clients were served in the measured period: units (or sysbench events) each
 * client completed without an error. A proxy that serves a subset of its clients looks fast in the
 * totals (the pool is the bottleneck either way) and even in the latency percentiles (the starved
 * clients contribute almost no samples); these figures show it at once: {@code zeroServed} clients
 * got nothing done, {@code min} is far below {@code mean}, {@code stddev / mean} is large.
 *
 * @param clients    clients counted
 * @param zeroServed clients that completed no unit at all
 * @param starved    clients that completed less than a tenth of the mean (a starved sysbench thread
 *                   often completes one event, when the served threads stop and let go at the end)
 * @param withErrors clients that got at least one error answer
 */
public record Fairness(int clients, long min, double mean, long max, double stddev, int zeroServed, int starved,
                       int withErrors) {

    public static final Fairness UNKNOWN = new Fairness(0, 0, 0, 0, 0, 0, 0, 0);

    /** From each client's completed units and (may be null) its errors. */
    public static Fairness of(long[] served, long[] failed) {
        if (served.length == 0) {
            return UNKNOWN;
        }
        double mean = Arrays.stream(served).average().orElse(0);
        double variance = Arrays.stream(served).mapToDouble(n -> (n - mean) * (n - mean)).sum() / served.length;
        int zero = (int) Arrays.stream(served).filter(n -> n == 0).count();
        int starved = (int) Arrays.stream(served).filter(n -> n < mean / 10).count();
        int withErrors = failed == null ? 0 : (int) Arrays.stream(failed).filter(n -> n > 0).count();
        return new Fairness(served.length, Arrays.stream(served).min().orElse(0), mean,
                Arrays.stream(served).max().orElse(0), Math.sqrt(variance), zero, starved, withErrors);
    }

    public boolean known() {
        return clients > 0;
    }

    /** Standard deviation over mean (sysbench's "events (avg/stddev)" as one ratio); 0 when nothing ran. */
    public double relativeStddev() {
        return mean == 0 ? 0 : stddev / mean;
    }

    /**
     * Why these figures say some clients were left out, or null: a client served nothing, or the
     * least served got under a tenth of the mean.
     */
    public String problem() {
        if (!known()) {
            return null;
        }
        if (zeroServed > 0) {
            return zeroServed + " of " + clients + " clients served nothing";
        }
        if (starved > 0) {
            return String.format(java.util.Locale.ROOT, "%d of %d clients got under a tenth of the mean (%.0f units);"
                    + " the least served got %d", starved, clients, mean, min);
        }
        return null;
    }
}
