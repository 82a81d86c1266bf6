package io.mysqlmux.bench;

import com.typesafe.config.ConfigFactory;
import io.mysqlmux.bench.load.LoadGenerator;
import io.mysqlmux.bench.load.Target;
import io.mysqlmux.bench.load.Workload;
import io.mysqlmux.bench.report.ChartReport;
import io.mysqlmux.bench.report.MarkdownReport;
import io.mysqlmux.bench.scenario.HaproxyRelay;
import io.mysqlmux.bench.scenario.IdleRun;
import io.mysqlmux.bench.scenario.Measurement;
import io.mysqlmux.bench.scenario.ProxyProcess;
import io.mysqlmux.bench.scenario.SchemaSetup;
import io.mysqlmux.bench.scenario.StormRun;
import io.mysqlmux.bench.scenario.ThroughputRun;
import io.mysqlmux.bench.scenario.Workloads;
import io.mysqlmux.proxy.ProxyServer;
import io.mysqlmux.proxy.config.ProxyConfig;
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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark runner: one scenario against several targets side by side (the server directly,
 * through mysqlmux, through a plain TCP relay, or any endpoint), with a Markdown table and a PNG
 * chart written under the output folder. Run it with {@code benchmarks/scripts/bench.sh} (see
 * benchmarks/README.md).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures mysqlmux against the server directly and a TCP relay.")
public final class BenchMain implements Callable<Integer> {

    enum Scenario { POINT_SELECT, OLTP, STORM, IDLE }

    @Option(names = "--scenario", defaultValue = "point-select",
            description = "point-select, oltp, storm or idle (default ${DEFAULT-VALUE})",
            converter = ScenarioConverter.class)
    private Scenario scenario;

    @Option(names = "--clients", split = ",", defaultValue = "1,32,256",
            description = "client counts for point-select and oltp (default ${DEFAULT-VALUE})")
    private List<Integer> clients;

    @Option(names = "--targets", split = ",", defaultValue = "direct,mysqlmux,haproxy",
            description = "direct, mysqlmux, haproxy (started here if installed) or name=host:port (default ${DEFAULT-VALUE})")
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

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String name = scenario.name().toLowerCase().replace('_', '-') + "-" + stamp;
        EmbeddedMariaDb embedded = server == null ? startEmbedded() : null;
        String host = embedded != null ? embedded.host() : server.substring(0, server.lastIndexOf(':'));
        int port = embedded != null ? embedded.port() : Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
        List<AutoCloseable> started = new ArrayList<>();
        try (LoadGenerator generator = new LoadGenerator(threads)) {
            prepareSchema(embedded, host, port);
            List<Target> resolved = resolveTargets(host, port, started);
            String report;
            if (scenario == Scenario.IDLE) {
                report = idle(generator, host, port);
            } else if (scenario == Scenario.STORM) {
                List<StormRun.Outcome> outcomes = new ArrayList<>();
                for (Target target : resolved) {
                    prepareSchema(embedded, host, port);
                    outcomes.add(StormRun.run(generator, target, stormClients, stormTransactions, Duration.ZERO,
                            duration(thinkMax), Duration.ofMinutes(10), System.err));
                }
                report = MarkdownReport.storm("storm: " + stormClients + " clients x " + stormTransactions
                        + " transactions, server max_connections " + stormServerMaxConnections + ", pool " + poolSize,
                        outcomes);
            } else {
                List<Measurement> measurements = new ArrayList<>();
                Workload workload = scenario == Scenario.OLTP ? Workloads.oltp(SchemaSetup.SBTEST_ROWS)
                        : Workloads.pointSelect(SchemaSetup.SBTEST_ROWS);
                for (int n : clients) {
                    for (Target target : resolved) {
                        measurements.add(ThroughputRun.run(generator, target, n, workload, duration(warmup),
                                duration(duration), System.err));
                    }
                }
                String title = scenario.name().toLowerCase().replace('_', '-') + ", pool " + poolSize;
                report = MarkdownReport.throughput(title, measurements);
                ChartReport.write(out.resolve(name + ".png"), title, measurements);
            }
            String header = "<!-- " + stamp + ", " + Runtime.getRuntime().availableProcessors() + " cores, load generator "
                    + threads + " thread(s), proxy " + proxyMode + " -->\n";
            Files.writeString(out.resolve(name + ".md"), header + report);
            System.out.println();
            System.out.println(report);
            System.out.println("written: " + out.resolve(name + ".md") + (scenario == Scenario.POINT_SELECT
                    || scenario == Scenario.OLTP ? " and " + out.resolve(name + ".png") : ""));
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
        return 0;
    }

    private EmbeddedMariaDb startEmbedded() {
        int maxConnections = scenario == Scenario.STORM ? stormServerMaxConnections
                : Math.max(200, clients.stream().mapToInt(Integer::intValue).max().orElse(0) + 100);
        System.err.println("starting an embedded MariaDB (max_connections " + maxConnections + ") ...");
        return EmbeddedMariaDb.start(EmbeddedMariaDb.Options.defaults().withMaxConnections(maxConnections)
                .withServerArg("--innodb-flush-log-at-trx-commit=2")
                .withServerArg("--innodb-buffer-pool-size=256M"));
    }

    private void prepareSchema(EmbeddedMariaDb embedded, String host, int port) throws Exception {
        try (Connection c = embedded != null ? embedded.rootConnection()
                : DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/" + database
                + "?sslMode=DISABLED&allowPublicKeyRetrieval=true", user, password)) {
            c.setCatalog(database);
            if (scenario == Scenario.STORM) {
                SchemaSetup.stormCounters(c);
            } else if (scenario != Scenario.IDLE) {
                SchemaSetup.sbtest(c, SchemaSetup.SBTEST_ROWS);
            }
        }
    }

    private List<Target> resolveTargets(String host, int port, List<AutoCloseable> started) throws Exception {
        List<Target> resolved = new ArrayList<>();
        for (String spec : targets) {
            switch (spec) {
                case "direct" -> resolved.add(new Target("direct", host, port, user, password, database));
                case "mysqlmux" -> resolved.add(new Target("mysqlmux", "127.0.0.1", startProxy(host, port, started),
                        user, password, database));
                case "haproxy" -> {
                    if (!HaproxyRelay.available()) {
                        System.err.println("haproxy is not installed (apt-get install -y haproxy): skipping that target");
                        continue;
                    }
                    HaproxyRelay relay = HaproxyRelay.start(host, port, out);
                    started.add(relay);
                    resolved.add(new Target("haproxy", "127.0.0.1", relay.port(), user, password, database));
                }
                default -> {
                    String[] named = spec.split("=", 2);
                    if (named.length != 2 || named[1].lastIndexOf(':') < 0) {
                        throw new CommandLine.ParameterException(new CommandLine(this),
                                "target '" + spec + "': expected direct, mysqlmux, haproxy or name=host:port");
                    }
                    String endpoint = named[1];
                    resolved.add(new Target(named[0], endpoint.substring(0, endpoint.lastIndexOf(':')),
                            Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)), user, password, database));
                }
            }
        }
        return resolved;
    }

    /** Starts mysqlmux in front of the server; returns its port. */
    private int startProxy(String host, int port, List<AutoCloseable> started) throws Exception {
        if (proxyMode.equals("in-process")) {
            ProxyServer proxy = ProxyServer.start(ProxyConfig.from(ConfigFactory.parseMap(Map.of(
                    "mysqlmux.listen", "127.0.0.1:0", "mysqlmux.backend.address", host + ":" + port,
                    "mysqlmux.users." + user + ".password", password, "mysqlmux.pool.max_size", poolSize,
                    "mysqlmux.max_client_connections", 30000, "mysqlmux.http.listen", ""))));
            started.add(proxy);
            proxy.ready().get(60, TimeUnit.SECONDS);
            return proxy.address().getPort();
        }
        ProxyProcess proxy = ProxyProcess.start(proxyJar, host, port, user, password, poolSize, proxyHeap,
                proxyJavaOptions, out.resolve("mysqlmux.log"));
        started.add(proxy);
        return proxy.port();
    }

    private String idle(LoadGenerator generator, String host, int port) throws Exception {
        try (ProxyProcess proxy = ProxyProcess.start(proxyJar, host, port, user, password, poolSize, proxyHeap,
                proxyJavaOptions, out.resolve("mysqlmux.log"))) {
            return IdleRun.run(generator, proxy, new Target("mysqlmux", "127.0.0.1", proxy.port(), user, password,
                    database), idleClients, System.err).markdown();
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
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
