package io.mysqlmux.bench.scenario;

import com.typesafe.config.ConfigFactory;
import io.mysqlmux.bench.load.LoadGenerator;
import io.mysqlmux.bench.load.Target;
import io.mysqlmux.proxy.ProxyServer;
import io.mysqlmux.proxy.config.ProxyConfig;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.ServerConnectionMonitor;

import java.io.PrintStream;
import java.sql.Connection;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The storm, run twice against one server with a low max_connections: straight at the server,
 * then through mysqlmux (in this process) with a small pool. Counts what each client saw, how many
 * transactions the server committed, and how many connections the server saw from the proxy.
 */
public final class StormComparison {

    /**
     * @param committedThroughProxy storm transactions the server holds after the proxy run
     * @param peakServerConnections most server connections of the storm's user during the proxy run
     */
    public record Result(StormRun.Outcome direct, StormRun.Outcome proxy, long committedThroughProxy,
                         int peakServerConnections, int poolSize) {

        /** One line for logs and closing notes. */
        public String summary() {
            return String.format(Locale.ROOT, "storm %d clients x %d transactions: direct %d clients failed (%s),"
                            + " %.0f tps; through mysqlmux (pool %d) %d failed, %d errors, %d/%d committed, %.0f tps,"
                            + " p99 %.1f ms, server connections peak %d, %.1f s",
                    proxy.clients(), proxy.transactionsPerClient(), direct.clientsFailed(), direct.errors(),
                    direct.transactionsPerSecond(), poolSize, proxy.clientsFailed(), proxy.errorCount(),
                    committedThroughProxy, (long) proxy.clients() * proxy.transactionsPerClient(),
                    proxy.transactionsPerSecond(), proxy.p99Micros() / 1000.0, peakServerConnections, proxy.seconds());
        }
    }

    private StormComparison() {
    }

    public static Result run(EmbeddedMariaDb db, int clients, int transactionsPerClient, Duration thinkMax,
                             int poolSize, Duration timeout, PrintStream progress) throws Exception {
        EmbeddedMariaDb.Account app = EmbeddedMariaDb.APP;
        try (Connection root = db.rootConnection()) {
            root.setCatalog(EmbeddedMariaDb.APP_DATABASE);
            SchemaSetup.stormCounters(root);
        }
        try (LoadGenerator generator = new LoadGenerator(1)) {
            Target direct = new Target("direct", db.host(), db.port(), app.user(), app.password(),
                    EmbeddedMariaDb.APP_DATABASE);
            StormRun.Outcome straight = StormRun.run(generator, direct, clients, transactionsPerClient, Duration.ZERO,
                    thinkMax, timeout, progress);
            try (Connection root = db.rootConnection()) {
                root.setCatalog(EmbeddedMariaDb.APP_DATABASE);
                SchemaSetup.stormCounters(root);
            }
            ProxyServer proxy = ProxyServer.start(ProxyConfig.from(ConfigFactory.parseMap(Map.of(
                    "mysqlmux.listen", "127.0.0.1:0",
                    "mysqlmux.backend.address", db.host() + ":" + db.port(),
                    "mysqlmux.users.app.password", app.password(),
                    "mysqlmux.pool.max_size", poolSize,
                    "mysqlmux.pool.queue_timeout", "120s",
                    "mysqlmux.max_client_connections", Math.max(10_000, clients + 100),
                    "mysqlmux.http.listen", ""))));
            try (ServerConnectionMonitor monitor = ServerConnectionMonitor.start(db, app.user())) {
                proxy.ready().get(60, TimeUnit.SECONDS);
                Target through = new Target("mysqlmux", "127.0.0.1", proxy.address().getPort(), app.user(),
                        app.password(), EmbeddedMariaDb.APP_DATABASE);
                StormRun.Outcome proxied = StormRun.run(generator, through, clients, transactionsPerClient,
                        Duration.ZERO, thinkMax, timeout, progress);
                long committed;
                try (Connection root = db.rootConnection()) {
                    root.setCatalog(EmbeddedMariaDb.APP_DATABASE);
                    committed = SchemaSetup.stormTotal(root);
                }
                return new Result(straight, proxied, committed, monitor.peak(), poolSize);
            } finally {
                proxy.close();
            }
        }
    }
}
