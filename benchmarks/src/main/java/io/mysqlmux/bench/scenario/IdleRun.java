package io.mysqlmux.bench.scenario;

import io.mysqlmux.bench.load.LoadGenerator;
import io.mysqlmux.bench.load.LoadRun;
import io.mysqlmux.bench.load.LoadStats;
import io.mysqlmux.bench.load.ProgressBar;
import io.mysqlmux.bench.load.Target;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * What an idle client connection costs the proxy: its memory with none, then with {@code clients}
 * logged-in connections that send nothing, read from the proxy process after a full GC.
 */
public final class IdleRun {

    /** Per-connection figures are the difference divided by the number of connections. */
    public record Outcome(int clients, long connected, ProxyProcess.Memory before, ProxyProcess.Memory after) {

        public double heapPerConnection() {
            return (double) (after.heapBytes() - before.heapBytes()) / connected;
        }

        public double directPerConnection() {
            return (double) (after.directBytes() - before.directBytes()) / connected;
        }

        public double rssPerConnection() {
            return (double) (after.rssBytes() - before.rssBytes()) / connected;
        }

        public String markdown() {
            return String.format(Locale.ROOT, "### idle: %,d client connections held by mysqlmux%n%n"
                            + "| | before | with %,d idle | per connection |%n|---|---:|---:|---:|%n"
                            + "| heap in use (after full GC) | %,d KB | %,d KB | %,.0f bytes |%n"
                            + "| Netty direct memory | %,d KB | %,d KB | %,.0f bytes |%n"
                            + "| process RSS | %,d KB | %,d KB | %,.0f bytes |%n",
                    connected, connected, before.heapBytes() / 1024, after.heapBytes() / 1024, heapPerConnection(),
                    before.directBytes() / 1024, after.directBytes() / 1024, directPerConnection(),
                    before.rssBytes() / 1024, after.rssBytes() / 1024, rssPerConnection());
        }
    }

    private IdleRun() {
    }

    public static Outcome run(LoadGenerator generator, ProxyProcess proxy, Target target, int clients,
                              PrintStream progress) throws Exception {
        ProxyProcess.Memory before = proxy.memory();
        LoadStats stats = new LoadStats();
        LoadRun run = generator.start(new LoadRun.Plan(target, clients, (client, random) -> new String[0], -1,
                Duration.ZERO, Duration.ZERO, 256), stats);
        try {
            try (ProgressBar bar = new ProgressBar(progress, "idle x" + clients,
                    () -> (double) stats.connectedCount() / clients, () -> ThroughputRun.status(stats))) {
                if (!run.awaitLogins(Duration.ofMinutes(5))) {
                    throw new IllegalStateException(clients + " idle clients did not log in within 5 minutes");
                }
            }
            if (stats.connectedCount() < clients) {
                throw new IllegalStateException("only " + stats.connectedCount() + " of " + clients + " logged in: "
                        + stats.firstError());
            }
            Thread.sleep(2000);
            return new Outcome(clients, stats.connectedCount(), before, proxy.memory());
        } finally {
            run.stop();
        }
    }
}
