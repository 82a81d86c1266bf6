package io.mysqlmux.bench.scenario;

import io.mysqlmux.bench.load.LoadGenerator;
import io.mysqlmux.bench.load.LoadRun;
import io.mysqlmux.bench.load.LoadStats;
import io.mysqlmux.bench.load.ProgressBar;
import io.mysqlmux.bench.load.Target;
import io.mysqlmux.bench.load.Workload;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A closed-loop throughput run: {@code clients} connections each run units of work back to back
 * (no think time); once all are logged in, a warm-up, then the measured period. Each client's
 * units are counted, so a target that serves only some of them shows it; the relay's and the
 * server's CPU time per statement are read from /proc around the measured period.
 */
public final class ThroughputRun {
    private static final int MAX_CONNECTING = 64;

    private ThroughputRun() {
    }

    public static Measurement run(LoadGenerator generator, Target target, int clients, Workload workload,
                                  Duration warmup, Duration duration, Probe probe, PrintStream progress)
            throws InterruptedException {
        LoadStats stats = new LoadStats();
        LoadRun run = generator.start(new LoadRun.Plan(target, clients, workload, 0, Duration.ZERO, Duration.ZERO,
                MAX_CONNECTING), stats);
        long started = System.nanoTime();
        double planned = warmup.toNanos() + duration.toNanos();
        try (ProgressBar bar = new ProgressBar(progress, target.name() + " x" + clients,
                () -> (System.nanoTime() - started) / planned, () -> status(stats))) {
            if (!run.awaitLogins(Duration.ofMinutes(3))) {
                throw new IllegalStateException(target + ": " + clients + " clients did not all log in within 3 minutes");
            }
            Thread.sleep(warmup.toMillis());
            stats.reset();
            Probe.Start start = probe.start(target.pid());
            Thread.sleep(duration.toMillis());
            Measurement.Cpu cpu = probe.cpu(start, stats.statements());
            return Measurement.of(target.name(), clients, stats, cpu, probe.queue(start));
        } finally {
            run.stop();
        }
    }

    static String status(LoadStats stats) {
        double seconds = Math.max(0.001, stats.secondsSinceReset());
        long[] served = stats.servedPerClient();
        long idle = java.util.Arrays.stream(served).filter(n -> n == 0).count();
        return String.format(Locale.ROOT, "%,9.0f /s  connected %,d  errors %,d  served nothing %,d of %,d",
                stats.units() / seconds, stats.connectedCount(), stats.errorCount() + stats.connectFailures(), idle,
                served.length);
    }
}
