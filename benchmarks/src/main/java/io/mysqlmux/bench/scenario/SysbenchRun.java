package io.mysqlmux.bench.scenario;

import io.mysqlmux.bench.load.Target;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's own measurement, run by the runner: sysbench (1.0.20, {@code apt-get install sysbench})
 * against each target, as {@code sysbench oltp_point_select --threads=N --time=T run}, with
 * {@code --mysql-ignore-errors=all} so that errors (a proxy's queue timeout, 1226) are counted instead
 * of ending the run. The test script is sysbench's own, wrapped (per-thread.lua) to print each
 * thread's events and errors by code, so that the report has the least served thread and the
 * threads that completed nothing besides sysbench's "events (avg/stddev)". A warm-up run (a separate
 * sysbench process: the measured run starts with fresh connections, as the user's does) comes first.
 */
public final class SysbenchRun {
    private static final Pattern THREAD = Pattern.compile("^mysqlmux-thread (\\d+) events (\\d+) errors ?(.*)$");
    private static final Pattern FATAL_ERROR = Pattern.compile("FATAL: .*error (\\d+):");

    private SysbenchRun() {
    }

    /**
     * @param test      sysbench test: {@code oltp_point_select} or {@code oltp_read_write}
     * @param psMode    {@code disable} (text protocol) or {@code auto} (server-side prepared statements)
     * @param pause     idle time between the warm-up and the measured run (e.g. past the proxy's
     *                  validation_interval), 0 for none
     */
    public record Options(String binary, String test, String psMode, int tables, int tableSize, Duration warmup,
                          Duration duration, Duration pause) {

        /** {@code direct/text}, {@code mysqlmux/ps}: the target and the protocol, as one report label. */
        String label(Target target) {
            return target.name() + "/" + (psMode.equals("disable") ? "text" : "ps");
        }
    }

    /** Whether {@code binary} runs here. */
    public static boolean available(String binary) {
        try {
            Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Creates the sbtest tables on the server itself (cleanup, then prepare), once per run of the runner. */
    public static void prepare(Options options, Target server, PrintStream progress) throws IOException, InterruptedException {
        progress.println("sysbench: preparing " + options.tables() + " table(s) of " + options.tableSize()
                + " rows on " + server);
        for (String command : List.of("cleanup", "prepare")) {
            List<String> args = new ArrayList<>(List.of(options.binary(), options.test()));
            args.addAll(connection(server, options));
            args.add(command);
            Output out = exec(args, Duration.ofMinutes(10), null, "");
            if (out.exitCode() != 0) {
                throw new IllegalStateException("sysbench " + command + " failed (exit " + out.exitCode() + "):\n"
                        + String.join("\n", out.lines()));
            }
        }
    }

    /** The warm-up run, an optional pause, then the measured run; CPU per query read around the latter. */
    public static Measurement run(Target target, int threads, Options options, Probe probe, PrintStream progress)
            throws IOException, InterruptedException {
        Path script = wrapperScript(options.test());
        try {
            String label = options.label(target) + " x" + threads;
            Map<Integer, Long> warmupErrors = new TreeMap<>();
            if (!options.warmup().isZero()) {
                Output warm = exec(command(script, target, threads, options, options.warmup()),
                        options.warmup().plusMinutes(3), progress, label + " warm-up ");
                SysbenchOutput.parse(warm.lines(), warm.exitCode()).errors().forEach((code, n) -> warmupErrors.merge(code, n, Long::sum));
            }
            if (!options.pause().isZero()) {
                progress.println(label + ": idle for " + options.pause().toMillis() + " ms before the measured run");
                Thread.sleep(options.pause().toMillis());
            }
            Probe.Start start = probe.start(target.pid());
            Output measured = exec(command(script, target, threads, options, options.duration()),
                    options.duration().plusMinutes(3), progress, label + " ");
            SysbenchOutput result = SysbenchOutput.parse(measured.lines(), measured.exitCode());
            Measurement.Cpu cpu = probe.cpu(start, result.queries());
            String note = String.join("; ", List.of(result.summary(), probe.queue(start))).replaceAll("; $", "");
            return result.measurement(options.label(target), threads, warmupErrors, cpu, note);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static List<String> command(Path script, Target target, int threads, Options options, Duration time) {
        List<String> args = new ArrayList<>(List.of(options.binary(), script.toString()));
        args.addAll(connection(target, options));
        args.addAll(List.of("--db-ps-mode=" + options.psMode(), "--mysql-ignore-errors=all",
                "--threads=" + threads, "--time=" + Math.max(1, time.toSeconds()), "--report-interval=5", "run"));
        return args;
    }

    private static List<String> connection(Target target, Options options) {
        return List.of("--db-driver=mysql", "--mysql-host=" + target.host(), "--mysql-port=" + target.port(),
                "--mysql-user=" + target.user(), "--mysql-password=" + target.password(),
                "--mysql-db=" + target.database(), "--tables=" + options.tables(), "--table-size=" + options.tableSize());
    }

    /** per-thread.lua around sysbench's own script for {@code test}, in a temporary file. */
    private static Path wrapperScript(String test) throws IOException {
        Path original = List.of("/usr/share/sysbench", "/usr/local/share/sysbench").stream()
                .map(dir -> Path.of(dir, test + ".lua")).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalStateException("sysbench script " + test + ".lua not found"
                        + " under /usr/share/sysbench or /usr/local/share/sysbench"));
        String wrapper;
        try (InputStream in = SysbenchRun.class.getResourceAsStream("per-thread.lua")) {
            wrapper = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@SCRIPT@", original.toString());
        }
        Path script = Files.createTempFile("mysqlmux-" + test + "-", ".lua");
        Files.writeString(script, wrapper);
        return script;
    }

    record Output(List<String> lines, int exitCode) {
    }

    /** Runs {@code args}; progress lines ("[ 5s ] thds: ...") go to {@code progress} with {@code prefix}. */
    private static Output exec(List<String> args, Duration limit, PrintStream progress, String prefix)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (progress != null && (line.startsWith("[ ") || line.startsWith("FATAL"))) {
                        progress.println(prefix + line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "sysbench-output");
        reader.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        reader.join(10_000);
        synchronized (lines) {
            return new Output(List.copyOf(lines), process.isAlive() ? -1 : process.exitValue());
        }
    }

    /** What one sysbench run printed, parsed. */
    record SysbenchOutput(long transactions, double tps, long queries, double qps, long ignoredErrors, long reconnects,
                          double seconds, double maxMillis, double p95Millis, double eventsAvg, double eventsStddev,
                          long[] events, long[] failed, Map<Integer, Long> errors, String failure) {

        static SysbenchOutput parse(List<String> lines, int exitCode) {
            String text = String.join("\n", lines);
            Map<Integer, long[]> threads = new TreeMap<>();
            Map<Integer, Long> errors = new TreeMap<>();
            String fatal = lines.stream().filter(l -> l.startsWith("FATAL")).findFirst().orElse(null);
            String failure = fatal != null ? fatal : exitCode != 0 ? "sysbench exited with " + exitCode : null;
            for (String line : lines) {
                Matcher t = THREAD.matcher(line.trim());
                if (t.matches()) {
                    long threadErrors = 0;
                    for (String part : t.group(3).isBlank() ? new String[0] : t.group(3).trim().split(",")) {
                        String[] codeCount = part.split(":");
                        long n = Long.parseLong(codeCount[1]);
                        errors.merge(Integer.parseInt(codeCount[0]), n, Long::sum);
                        threadErrors += n;
                    }
                    threads.put(Integer.parseInt(t.group(1)), new long[] {Long.parseLong(t.group(2)), threadErrors});
                }
                Matcher fatalCode = FATAL_ERROR.matcher(line);
                if (fatalCode.find()) {
                    errors.merge(Integer.parseInt(fatalCode.group(1)), 1L, Long::sum);
                }
            }
            return new SysbenchOutput(longOf(text, "transactions:\\s+(\\d+)"), doubleOf(text, "transactions:\\s+\\d+\\s+\\(([\\d.]+) per sec"),
                    longOf(text, "queries:\\s+(\\d+)"), doubleOf(text, "queries:\\s+\\d+\\s+\\(([\\d.]+) per sec"),
                    longOf(text, "ignored errors:\\s+(\\d+)"), longOf(text, "reconnects:\\s+(\\d+)"),
                    doubleOf(text, "total time:\\s+([\\d.]+)s"), doubleOf(text, "\\n\\s+max:\\s+([\\d.]+)"),
                    doubleOf(text, "95th percentile:\\s+([\\d.]+)"), doubleOf(text, "events \\(avg/stddev\\):\\s+([\\d.]+)/"),
                    doubleOf(text, "events \\(avg/stddev\\):\\s+[\\d.]+/([\\d.]+)"),
                    threads.values().stream().mapToLong(v -> v[0]).toArray(),
                    threads.values().stream().mapToLong(v -> v[1]).toArray(), errors, failure);
        }

        /** {@code sysbench: events (avg/stddev) 2573.19/31.85 = 1.2 %, ignored errors 0, reconnects 0}. */
        String summary() {
            String figures = String.format(java.util.Locale.ROOT,
                    "sysbench: events (avg/stddev) %.2f/%.2f = %.1f %%, ignored errors %,d, reconnects %,d",
                    eventsAvg, eventsStddev, eventsAvg == 0 ? 0 : 100 * eventsStddev / eventsAvg, ignoredErrors, reconnects);
            return failure == null ? figures : "**" + failure + "**; " + figures;
        }

        Measurement measurement(String label, int threadCount, Map<Integer, Long> warmupErrors, Measurement.Cpu cpu,
                                String note) {
            // Threads that printed no line (sysbench stopped early) count as served nothing.
            long[] served = java.util.Arrays.copyOf(events, Math.max(events.length, threadCount));
            long[] withErrors = java.util.Arrays.copyOf(failed, served.length);
            boolean onePerEvent = queries == transactions;
            return new Measurement(label, threadCount, seconds, transactions, tps, qps, -1, Math.round(p95Millis * 1000),
                    -1, Math.round(maxMillis * 1000), onePerEvent ? Math.round(maxMillis * 1000) : -1,
                    0, errors, warmupErrors, Fairness.of(served, withErrors), cpu.target(), cpu.server(), note);
        }

        private static long longOf(String text, String regex) {
            Matcher m = Pattern.compile(regex).matcher(text);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }

        private static double doubleOf(String text, String regex) {
            Matcher m = Pattern.compile(regex).matcher(text);
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        }
    }
}
