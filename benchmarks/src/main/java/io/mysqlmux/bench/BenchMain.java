package io.mysqlmux.bench;

import com.typesafe.config.ConfigFactory;
import io.mysqlmux.bench.load.LoadGenerator;
import io.mysqlmux.bench.load.Target;
import io.mysqlmux.bench.load.Workload;
import io.mysqlmux.bench.report.ChartReport;
import io.mysqlmux.bench.report.MarkdownReport;
import io.mysqlmux.bench.scenario.IdleRun;
import io.mysqlmux.bench.scenario.Measurement;
import io.mysqlmux.bench.scenario.ProcessCpu;
import io.mysqlmux.bench.scenario.ProxyProcess;
import io.mysqlmux.bench.scenario.SchemaSetup;
import io.mysqlmux.bench.scenario.StormRun;
import io.mysqlmux.bench.scenario.SysbenchRun;
import io.mysqlmux.bench.scenario.ThroughputRun;
import io.mysqlmux.bench.scenario.Workloads;
import io.mysqlmux.testing.EmbeddedMariaDb;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The benchmark runner: one scenario against several targets side by side (the server directly,
 * through mysqlmux, through a plain TCP relay, or any endpoint), with a Markdown table and a PNG
 * chart written under the output folder. Run it with {@code benchmarks/scripts/bench.sh} (see
 * benchmarks/README.md).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures mysqlmux against the server directly and a TCP relay.")
public final class BenchMain implements Callable<Integer> {

    enum Scenario {
        POINT_SELECT, OLTP, STORM, IDLE, SYSBENCH_POINT_SELECT, SYSBENCH_READ_WRITE, PINNED_POINT_SELECT;

        boolean sysbench() {
            return this == SYSBENCH_POINT_SELECT || this == SYSBENCH_READ_WRITE;
        }

        boolean throughput() {
            return this == POINT_SELECT || this == OLTP || this == PINNED_POINT_SELECT || sysbench();
        }
    }

    @Option(names = "--scenario", defaultValue = "point-select",
            description = "point-select, oltp, storm, idle, sysbench-point-select, sysbench-read-write, or"
                    + " pinned-point-select (the control: each client pins a server connection, so that a proxy"
                    + " starves the clients beyond its pool) (default ${DEFAULT-VALUE})",
            converter = ScenarioConverter.class)
    private Scenario scenario;

    @Option(names = "--clients", split = ",", defaultValue = "1,32,256",
            description = "client counts for point-select and oltp (default ${DEFAULT-VALUE})")
    private List<Integer> clients;

    @Option(names = "--targets", split = ",", defaultValue = "direct,mysqlmux,haproxy",
            description = "direct, mysqlmux, haproxy (started here if installed) or name=host:port[@pid] (with a pid,"
                    + " that process's CPU per query is reported) (default ${DEFAULT-VALUE})")
    private List<String> targets;

    @Option(names = "--duration", defaultValue = "20s", description = "measured period per point (default ${DEFAULT-VALUE})")
    private String duration;

    @Option(names = "--warmup", defaultValue = "30s",
            description = "warm-up before each point; the proxy JVM needs ~30 s of load before its JIT settles"
                    + " (default ${DEFAULT-VALUE})")
    private String warmup;

    @Option(names = "--pool-size", defaultValue = "16", description = "mysqlmux pool.max_size (default ${DEFAULT-VALUE})")
    private int poolSize;

    @Option(names = "--proxy", defaultValue = "process",
            description = "process (the production jar in its own JVM) or in-process (default ${DEFAULT-VALUE})")
    private String proxyMode;

    @Option(names = "--proxy-jar", defaultValue = "proxy-server/target/mysqlmux.jar")
    private Path proxyJar;

    @Option(names = "--proxy-heap", defaultValue = "1g")
    private String proxyHeap;

    @Option(names = "--proxy-java-options", split = " ", defaultValue = "",
            description = "more JVM options for the proxy process, e.g. \"-XX:StartFlightRecording=filename=p.jfr"
                    + " -Dmysqlmux.event_loop_threads=1\" (settings as -Dmysqlmux.<key>)")
    private List<String> proxyJavaOptions;

    @Option(names = "--server", description = "host:port of an external server (default: an embedded MariaDB)")
    private String server;

    @Option(names = "--server-args", split = " ", defaultValue = "",
            description = "more options for the embedded MariaDB, e.g. \"--autocommit=0\" (with it, mysqlmux"
                    + " holds each busy session's connection for good: the starvation reproduction)")
    private List<String> serverArgs;

    @Option(names = "--server-pid", defaultValue = "0",
            description = "the server's process, for its CPU per query (default: whoever listens on its port here)")
    private long serverPid;

    @Option(names = "--sysbench", defaultValue = "sysbench", description = "the sysbench binary (default ${DEFAULT-VALUE})")
    private String sysbench;

    @Option(names = "--sysbench-ps-modes", split = ",", defaultValue = "disable,auto",
            description = "sysbench --db-ps-mode values, each a run: disable (text protocol), auto (prepared)"
                    + " (default ${DEFAULT-VALUE})")
    private List<String> sysbenchPsModes;

    @Option(names = "--sysbench-tables", defaultValue = "1")
    private int sysbenchTables;

    @Option(names = "--sysbench-table-size", defaultValue = "10000")
    private int sysbenchTableSize;

    @Option(names = "--pause", defaultValue = "0s",
            description = "sysbench scenarios: idle time between the warm-up and the measured run, e.g. 6s to let the"
                    + " pool's connections pass validation_interval (default ${DEFAULT-VALUE})")
    private String pause;

    @Option(names = "--user", defaultValue = "app")
    private String user;

    @Option(names = "--password", defaultValue = "app-secret")
    private String password;

    @Option(names = "--database", defaultValue = "app")
    private String database;

    @Option(names = "--server-max-connections", defaultValue = "50",
            description = "embedded server's max_connections for the storm (default ${DEFAULT-VALUE})")
    private int stormServerMaxConnections;

    @Option(names = "--storm-clients", defaultValue = "5000")
    private int stormClients;

    @Option(names = "--storm-transactions", defaultValue = "20")
    private int stormTransactions;

    @Option(names = "--think-max", defaultValue = "50ms", description = "storm think time is 0 to this")
    private String thinkMax;

    @Option(names = "--idle-clients", defaultValue = "10000")
    private int idleClients;

    @Option(names = "--threads", defaultValue = "1", description = "load generator event-loop threads")
    private int threads;

    @Option(names = "--out", defaultValue = "benchmarks/results")
    private Path out;

    /** The arguments of this run, for the report's header. */
    private static String commandLine = "";

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String name = scenario.name().toLowerCase().replace('_', '-') + "-" + stamp;
        if (scenario.sysbench() && !SysbenchRun.available(sysbench)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    sysbench + " not found: apt-get install -y sysbench (benchmarks/scripts/bench.sh does it)");
        }
        EmbeddedMariaDb embedded = server == null ? startEmbedded() : null;
        String host = embedded != null ? embedded.host() : server.substring(0, server.lastIndexOf(':'));
        int port = embedded != null ? embedded.port() : Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
        long serverProcess = serverPid > 0 ? serverPid : ProcessCpu.listening(port);
        try (LoadGenerator generator = new LoadGenerator(threads);
             Targets targets = new Targets(host, port, user, password, database, serverProcess,
                     new Targets.ProxySettings(proxyMode, proxyJar, proxyHeap, proxyJavaOptions, poolSize, out))) {
            prepareSchema(embedded, host, port);
            String report;
            if (scenario == Scenario.IDLE) {
                ProxyProcess proxy = targets.startProxyProcess();
                report = IdleRun.run(generator, proxy, new Target("mysqlmux", "127.0.0.1", proxy.port(), user, password,
                        database), idleClients, System.err).markdown();
            } else if (scenario == Scenario.STORM) {
                List<StormRun.Outcome> outcomes = new ArrayList<>();
                for (Target target : targets.resolve(this.targets)) {
                    prepareSchema(embedded, host, port);
                    outcomes.add(StormRun.run(generator, target, stormClients, stormTransactions, Duration.ZERO,
                            duration(thinkMax), Duration.ofMinutes(10), System.err));
                }
                report = MarkdownReport.storm("storm: " + stormClients + " clients x " + stormTransactions
                        + " transactions, server max_connections " + stormServerMaxConnections + ", pool " + poolSize,
                        outcomes);
            } else {
                List<Measurement> measurements = scenario.sysbench() ? sysbench(targets) : loadGenerator(generator, targets);
                String title = scenario.name().toLowerCase().replace('_', '-') + ", pool " + poolSize
                        + (scenario.sysbench() ? ", sysbench " + String.join("/", sysbenchPsModes) : "");
                report = MarkdownReport.throughput(title, measurements);
                ChartReport.write(out.resolve(name + ".png"), title, measurements);
            }
            String header = "<!-- " + stamp + ", " + Runtime.getRuntime().availableProcessors() + " cores, load generator "
                    + threads + " thread(s), proxy " + proxyMode + ", warm-up " + warmup + ", measured " + duration
                    + ", server pid " + serverProcess + (serverArgs.stream().allMatch(String::isBlank) ? ""
                    : ", server args " + String.join(" ", serverArgs)) + " -->\n"
                    + "<!-- benchmarks/scripts/bench.sh " + commandLine + " -->\n";
            Files.writeString(out.resolve(name + ".md"), header + report);
            System.out.println();
            System.out.println(report);
            System.out.println("written: " + out.resolve(name + ".md")
                    + (scenario.throughput() ? " and " + out.resolve(name + ".png") : ""));
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        return 0;
    }

    private List<Measurement> loadGenerator(LoadGenerator generator, Targets targets) throws Exception {
        List<Target> resolved = targets.resolve(this.targets);
        Workload workload = scenario == Scenario.OLTP ? Workloads.oltp(SchemaSetup.SBTEST_ROWS)
                : scenario == Scenario.PINNED_POINT_SELECT ? Workloads.pinnedPointSelect(SchemaSetup.SBTEST_ROWS)
                : Workloads.pointSelect(SchemaSetup.SBTEST_ROWS);
        List<Measurement> measurements = new ArrayList<>();
        for (int n : clients) {
            for (Target target : resolved) {
                measurements.add(ThroughputRun.run(generator, target, n, workload, duration(warmup), duration(duration),
                        targets.probe(target), System.err));
            }
        }
        return measurements;
    }

    /** Tables once, on the server itself; then every client count, target and ps mode in turn. */
    private List<Measurement> sysbench(Targets targets) throws Exception {
        String test = scenario == Scenario.SYSBENCH_READ_WRITE ? "oltp_read_write" : "oltp_point_select";
        SysbenchRun.prepare(options(test, sysbenchPsModes.get(0)), targets.server(), System.err);
        List<Target> resolved = targets.resolve(this.targets);
        List<Measurement> measurements = new ArrayList<>();
        for (int n : clients) {
            for (String mode : sysbenchPsModes) {
                for (Target target : resolved) {
                    measurements.add(SysbenchRun.run(target, n, options(test, mode), targets.probe(target), System.err));
                }
            }
        }
        return measurements;
    }

    private SysbenchRun.Options options(String test, String psMode) {
        return new SysbenchRun.Options(sysbench, test, psMode, sysbenchTables, sysbenchTableSize, duration(warmup),
                duration(duration), duration(pause));
    }

    private EmbeddedMariaDb startEmbedded() {
        int maxConnections = scenario == Scenario.STORM ? stormServerMaxConnections
                : Math.max(200, clients.stream().mapToInt(Integer::intValue).max().orElse(0) + 100);
        System.err.println("starting an embedded MariaDB (max_connections " + maxConnections + ") ...");
        EmbeddedMariaDb.Options options = EmbeddedMariaDb.Options.defaults().withMaxConnections(maxConnections)
                .withServerArg("--innodb-flush-log-at-trx-commit=2")
                .withServerArg("--innodb-buffer-pool-size=256M");
        for (String arg : serverArgs) {
            if (!arg.isBlank()) {
                options = options.withServerArg(arg);
            }
        }
        return EmbeddedMariaDb.start(options);
    }

    private void prepareSchema(EmbeddedMariaDb embedded, String host, int port) throws Exception {
        if (scenario == Scenario.IDLE || scenario.sysbench()) {
            return; // nothing to create, or sysbench prepare does it
        }
        try (Connection c = embedded != null ? embedded.rootConnection()
                : DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/" + database
                + "?sslMode=DISABLED&allowPublicKeyRetrieval=true", user, password)) {
            c.setCatalog(database);
            if (scenario == Scenario.STORM) {
                SchemaSetup.stormCounters(c);
            } else {
                SchemaSetup.sbtest(c, SchemaSetup.SBTEST_ROWS);
            }
        }
    }

    private static Duration duration(String text) {
        return ConfigFactory.parseString("d = " + text).getDuration("d");
    }

    /** {@code point-select} → POINT_SELECT. */
    static final class ScenarioConverter implements CommandLine.ITypeConverter<Scenario> {
        @Override
        public Scenario convert(String value) {
            return Scenario.valueOf(value.trim().toUpperCase().replace('-', '_'));
        }
    }

    public static void main(String[] args) {
        commandLine = String.join(" ", args);
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
