package io.mysqlmux.bench.demo;

import com.sun.management.UnixOperatingSystemMXBean;
import com.typesafe.config.ConfigFactory;
import io.mysqlmux.bench.report.MarkdownReport;
import io.mysqlmux.bench.scenario.StormComparison;
import io.mysqlmux.proxy.ProxyServer;
import io.mysqlmux.proxy.config.ProxyConfig;
import io.mysqlmux.testing.EmbeddedMariaDb;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The README's first command. An embedded MariaDB with max_connections = 50; a storm of clients
 * (short transactions with think time) straight at it, where most get "Too many connections",
 * then the same storm through mysqlmux with a pool of 20, where none does; the comparison printed;
 * then mysqlmux keeps running in front of the server on 127.0.0.1:6033 (admin port 6032, metrics
 * on 9033, or the next free ports) with the way to connect printed, until Ctrl-C. Nothing here is
 * part of the production jar.
 */
public final class DemoMain {
    private static final int SERVER_MAX_CONNECTIONS = 50;
    private static final int POOL_MAX_SIZE = 20;
    private static final int STORM_CLIENTS = 2_000;
    private static final int STORM_TRANSACTIONS = 10;
    private static final String ADMIN_PASSWORD = "admin-secret";

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("Starting an embedded MariaDB (max_connections = " + SERVER_MAX_CONNECTIONS + ") ...");
        EmbeddedMariaDb db = EmbeddedMariaDb.start(EmbeddedMariaDb.Options.defaults()
                .withMaxConnections(SERVER_MAX_CONNECTIONS).withServerArg("--innodb-flush-log-at-trx-commit=2"));
        storm(db);

        int port = freePort(6033);
        int adminPort = freePort(6032);
        int httpPort = freePort(9033);
        ProxyServer proxy = ProxyServer.start(ProxyConfig.from(ConfigFactory.parseMap(Map.of(
                "mysqlmux.listen", "127.0.0.1:" + port,
                "mysqlmux.backend.address", db.host() + ":" + db.port(),
                "mysqlmux.pool.max_size", POOL_MAX_SIZE,
                "mysqlmux.users.app.password", EmbeddedMariaDb.APP.password(),
                "mysqlmux.admin.listen", "127.0.0.1:" + adminPort,
                "mysqlmux.admin.password", ADMIN_PASSWORD,
                "mysqlmux.http.listen", "127.0.0.1:" + httpPort))));
        proxy.ready().get(60, TimeUnit.SECONDS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            db.close();
            stopped.countDown();
        }, "demo-shutdown"));
        printHowToConnect(port, adminPort, httpPort, db);
        stopped.await();
    }

    /** The storm straight at the server, then through mysqlmux, and what each client saw. */
    private static void storm(EmbeddedMariaDb db) throws Exception {
        int clients = clientsThisProcessCanHold();
        System.out.println();
        System.out.println("The storm: " + clients + " clients connect at once, each runs " + STORM_TRANSACTIONS
                + " short transactions (0-20 ms apart).");
        System.out.println("First straight at the server, then through mysqlmux with a pool of " + POOL_MAX_SIZE
                + " server connections.");
        StormComparison.Result result = StormComparison.run(db, clients, STORM_TRANSACTIONS, Duration.ofMillis(20),
                POOL_MAX_SIZE, Duration.ofMinutes(5), System.out);
        System.out.println();
        System.out.println(MarkdownReport.storm("server max_connections = " + SERVER_MAX_CONNECTIONS,
                List.of(result.direct(), result.proxy())));
        System.out.println("Straight at the server " + result.direct().clientsFailed() + " of " + clients
                + " clients failed (1040 = Too many connections). Through mysqlmux " + result.proxy().clientsFailed()
                + " failed, and the server saw at most " + result.peakServerConnections() + " connections from it.");
    }

    /** 2,000, or fewer where this process may not open two sockets per client (client and proxy side). */
    private static int clientsThisProcessCanHold() {
        long maxFiles = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        long fit = (maxFiles - 300) / 2;
        if (fit < STORM_CLIENTS) {
            System.out.println("(this process may open " + maxFiles + " files: the storm uses " + fit
                    + " clients; raise ulimit -n for the full " + STORM_CLIENTS + ")");
        }
        return (int) Math.max(100, Math.min(STORM_CLIENTS, fit));
    }

    private static void printHowToConnect(int port, int adminPort, int httpPort, EmbeddedMariaDb db) {
        String user = EmbeddedMariaDb.APP.user();
        String password = EmbeddedMariaDb.APP.password();
        System.out.println();
        System.out.println("mysqlmux is running on 127.0.0.1:" + port + " in front of MariaDB " + db.version()
                + " on " + db.host() + ":" + db.port() + " (pool of " + POOL_MAX_SIZE + " server connections).");
        System.out.println();
        System.out.println("  mysql    -h 127.0.0.1 -P " + port + " -u " + user + " -p" + password + " app");
        System.out.println("  mariadb  -h 127.0.0.1 -P " + port + " -u " + user + " -p" + password
                + " --skip-ssl app     (MariaDB 11.4+ clients ask for TLS by default)");
        System.out.println("  JDBC     jdbc:mysql://127.0.0.1:" + port + "/app?user=" + user + "&password=" + password
                + "&sslMode=DISABLED");
        System.out.println();
        System.out.println("  admin    mysql -h 127.0.0.1 -P " + adminPort + " -u admin -p" + ADMIN_PASSWORD
                + "   then: SHOW POOLS; SHOW CLIENTS; SHOW STATS; SET pool.max_size = 30; HELP;");
        System.out.println("  metrics  curl http://127.0.0.1:" + httpPort + "/metrics   (and /health/ready)");
        System.out.println();
        System.out.println("Press Ctrl-C to stop.");
    }

    private static int freePort(int preferred) throws IOException {
        for (int port : new int[] {preferred, 0}) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return socket.getLocalPort();
            } catch (IOException taken) {
                if (port == 0) {
                    throw taken;
                }
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
