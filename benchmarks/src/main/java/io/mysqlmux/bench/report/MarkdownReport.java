package io.mysqlmux.bench.report;

import io.mysqlmux.bench.scenario.Fairness;
import io.mysqlmux.bench.scenario.Measurement;
import io.mysqlmux.bench.scenario.StormRun;

import java.util.List;
import java.util.Locale;

/** The results as Markdown tables, for the terminal, the results folder and the README. */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    /**
     * One row per target and client count, fairness and errors first (a target that serves a subset of
     * its clients looks fast in every later column), then throughput, latency and CPU per query; above
     * the table, which points served some clients nothing or failed; below it, notes.
     */
    public static String throughput(String title, List<Measurement> measurements) {
        StringBuilder md = new StringBuilder("### ").append(title).append("\n\n");
        List<String> problems = measurements.stream().filter(m -> m.problem() != null)
                .map(m -> "- **" + m.target() + " ×" + m.clients() + "**: " + m.problem()).toList();
        md.append(problems.isEmpty() ? "Fairness and errors: every client of every target was served, no errors.\n"
                : "Fairness and errors: **clients left out, or errors**\n\n" + String.join("\n", problems) + "\n");
        md.append("\n| target | clients | errors | clients served nothing / under 10 % of mean | per client min / mean / max | stddev/mean"
                        + " | max latency ms | max statement ms | units/s | statements/s | p50 µs | p95 µs | p99 µs"
                        + " | relay CPU µs/stmt | server CPU µs/stmt |\n")
                .append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement m : measurements) {
            Fairness f = m.fairness();
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s | %,.0f | %,.0f | %s | %s | %s | %s | %s |%n",
                    m.target(), m.clients(), errors(m.errors(), m.connectFailures()),
                    f.known() ? String.format(Locale.ROOT, "%,d / %,d", f.zeroServed(), f.starved()) : "–",
                    f.known() ? String.format(Locale.ROOT, "%,d / %,.0f / %,d", f.min(), f.mean(), f.max()) : "–",
                    f.known() ? String.format(Locale.ROOT, "%.1f %%", 100 * f.relativeStddev()) : "–",
                    millis(m.maxMicros()), millis(m.maxStatementMicros()), m.unitsPerSecond(), m.statementsPerSecond(),
                    micros(m.p50Micros()), micros(m.p95Micros()), micros(m.p99Micros()),
                    cpu(m.targetCpuMicrosPerQuery()), cpu(m.serverCpuMicrosPerQuery())));
        }
        List<String> notes = new java.util.ArrayList<>();
        for (Measurement m : measurements) {
            if (!m.warmupErrors().isEmpty()) {
                notes.add("- " + m.target() + " ×" + m.clients() + ": before the measured period (logins, warm-up): "
                        + errors(m.warmupErrors(), 0));
            }
            if (!m.note().isEmpty()) {
                notes.add("- " + m.target() + " ×" + m.clients() + ": " + m.note());
            }
        }
        if (!notes.isEmpty()) {
            md.append('\n').append(String.join("\n", notes)).append('\n');
        }
        return md.toString();
    }

    private static String millis(long micros) {
        return micros < 0 ? "–" : String.format(Locale.ROOT, "%,.1f", micros / 1000.0);
    }

    private static String micros(long micros) {
        return micros < 0 ? "–" : String.format(Locale.ROOT, "%,d", micros);
    }

    private static String cpu(double micros) {
        return Double.isNaN(micros) ? "–" : String.format(Locale.ROOT, "%,.1f", micros);
    }

    /** The storm, target by target: who finished, who was refused, what the survivors got. */
    public static String storm(String title, List<StormRun.Outcome> outcomes) {
        StringBuilder md = new StringBuilder("### ").append(title).append("\n\n")
                .append("| target | clients | finished | failed | transactions | tps | p50 ms | p99 ms | errors |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (StormRun.Outcome o : outcomes) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,.0f | %.1f | %.1f | %s |%n",
                    o.target(), o.clients(), o.clientsFinished(), o.clientsFailed(), o.transactions(),
                    o.transactionsPerSecond(), o.p50Micros() / 1000.0, o.p99Micros() / 1000.0,
                    errors(o.errors(), o.connectFailures())));
        }
        return md.toString();
    }

    /** {@code 1040 ×4,950} — the MySQL codes with counts, and refused TCP connects. */
    static String errors(java.util.Map<Integer, Long> byCode, long connectFailures) {
        StringBuilder text = new StringBuilder();
        byCode.forEach((code, count) -> text.append(text.length() == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "%d ×%,d", code, count)));
        if (connectFailures > 0) {
            text.append(text.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "connect ×%,d", connectFailures));
        }
        return text.length() == 0 ? "0" : text.toString();
    }
}
