package io.mysqlmux.bench.scenario;

import io.mysqlmux.bench.load.LoadGenerator;
import io.mysqlmux.bench.load.LoadRun;
import io.mysqlmux.bench.load.LoadStats;
import io.mysqlmux.bench.load.ProgressBar;
import io.mysqlmux.bench.load.Target;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * The storm: many clients connect at once, each runs a fixed number of short transactions with
 * random think time between them, then quits. Against a server with a low max_connections most
 * of them get ERROR 1040 directly; through mysqlmux they should all finish.
 */
public final class StormRun {
    private static final int MAX_CONNECTING = 256;

    /**
     * @param clientsFinished clients that ran all their transactions
     * @param clientsFailed   clients refused or cut off
     * @param transactions    transactions that got their COMMIT answered
     * @param errors          errors by MySQL code (1040 = too many connections)
     */
    public record Outcome(String target, int clients, int transactionsPerClient, long clientsFinished,
                          long clientsFailed, long transactions, double seconds, long p50Micros, long p99Micros,
                          Map<Integer, Long> errors, long connectFailures, String firstError) {

        public double transactionsPerSecond() {
            return transactions / seconds;
        }

        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum() + connectFailures;
        }
    }

    private StormRun() {
    }

    public static Outcome run(LoadGenerator generator, Target target, int clients, int transactionsPerClient,
                              Duration thinkMin, Duration thinkMax, Duration timeout, PrintStream progress)
            throws InterruptedException {
        LoadStats stats = new LoadStats();
        long started = System.nanoTime();
        LoadRun run = generator.start(new LoadRun.Plan(target, clients,
                Workloads.stormIncrement(SchemaSetup.STORM_COUNTERS), transactionsPerClient, thinkMin, thinkMax,
                MAX_CONNECTING), stats);
        try (ProgressBar bar = new ProgressBar(progress, "storm " + target.name() + " x" + clients,
                () -> (double) stats.units() / ((long) clients * transactionsPerClient),
                () -> ThroughputRun.status(stats))) {
            if (!run.awaitEnd(timeout)) {
                throw new IllegalStateException("storm against " + target + ": " + run.clientsLeft()
                        + " of " + clients + " clients still running after " + timeout.toSeconds() + " s");
            }
        } finally {
            run.stop();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Histogram latency = stats.latencyMicros();
        return new Outcome(target.name(), clients, transactionsPerClient, stats.finishedClients(),
                stats.failedClients(), stats.units(), seconds, latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), stats.errors(), stats.connectFailures(), stats.firstError());
    }
}
