package io.mysqlmux.bench.report;

import io.mysqlmux.bench.scenario.Measurement;
import io.mysqlmux.bench.scenario.StormRun;

import java.util.List;
import java.util.Locale;

/** The results as Markdown tables, for the terminal, the results folder and the README. */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    /** One row per target and client count: throughput, latency percentiles, errors. */
    public static String throughput(String title, List<Measurement> measurements) {
        StringBuilder md = new StringBuilder("### ").append(title).append("\n\n")
                .append("| target | clients | units/s | statements/s | p50 µs | p95 µs | p99 µs | max µs | errors |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Measurement m : measurements) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,.0f | %,.0f | %,d | %,d | %,d | %,d | %s |%n",
                    m.target(), m.clients(), m.unitsPerSecond(), m.statementsPerSecond(), m.p50Micros(),
                    m.p95Micros(), m.p99Micros(), m.maxMicros(), errors(m.errors(), m.connectFailures())));
        }
        return md.toString();
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
