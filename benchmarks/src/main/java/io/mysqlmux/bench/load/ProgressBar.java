package io.mysqlmux.bench.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A one-line progress bar on the terminal while a load runs: elapsed of planned, the work done, the
 * current rate and errors. Redrawn in place on a console; without one (CI, a pipe) a plain line
 * every few seconds.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final Supplier<Double> fraction;
    private final Supplier<String> status;
    private final boolean console = System.console() != null;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
    });
    private final long startNanos = System.nanoTime();

    /**
     * @param fraction how far along, 0 to 1
     * @param status   the figures after the bar ({@code 8,231 tps, errors 0})
     */
    public ProgressBar(PrintStream out, String label, Supplier<Double> fraction, Supplier<String> status) {
        this.out = out;
        this.label = label;
        this.fraction = fraction;
        this.status = status;
        ticker.scheduleAtFixedRate(this::draw, console ? 250 : 5000, console ? 250 : 5000, TimeUnit.MILLISECONDS);
    }

    private void draw() {
        double done = Math.max(0, Math.min(1, fraction.get()));
        int filled = (int) Math.round(done * WIDTH);
        String line = String.format(Locale.ROOT, "%-28s [%s%s] %3d%% %5.1fs  %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), Math.round(done * 100), (System.nanoTime() - startNanos) / 1e9, status.get());
        if (console) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        draw();
        if (console) {
            out.println();
        }
    }
}
