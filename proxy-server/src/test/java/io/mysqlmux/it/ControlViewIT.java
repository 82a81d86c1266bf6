package io.mysqlmux.it;

import com.typesafe.config.ConfigFactory;
import io.mysqlmux.admin.BackendView;
import io.mysqlmux.admin.ClientView;
import io.mysqlmux.admin.ControlException;
import io.mysqlmux.admin.ControlView;
import io.mysqlmux.admin.Health;
import io.mysqlmux.admin.PoolView;
import io.mysqlmux.admin.ReloadResult;
import io.mysqlmux.admin.StatsView;
import io.mysqlmux.admin.UserView;
import io.mysqlmux.proxy.ProxyServer;
import io.mysqlmux.proxy.config.ProxyConfig;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.Sql;
import io.mysqlmux.testing.TcpRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mysqlmux.it.QueueIT.awaitTrue;
import static io.mysqlmux.it.QueueIT.holdConnection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the operator sees and does through the control interface, under a known load: three clients
 * in transactions, one pinned by a user variable, two waiting for the full pool of four. The views,
 * SHOW STATS and the Prometheus text must all say exactly that.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class ControlViewIT {

    @Test
    void viewsAndMetricsDescribeAKnownLoadExactly(EmbeddedMariaDb db) throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        List<Connection> clients = new ArrayList<>();
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 4, "pool.queue_timeout", "60s"))) {
            ControlView control = proxy.server().control();
            for (int i = 0; i < 6; i++) {
                clients.add(proxy.connect());
            }
            for (int i = 0; i < 3; i++) {
                holdConnection(clients.get(i));
            }
            Sql.exec(clients.get(3), "SET @pinned = 1");
            List<Future<String>> waiting = List.of(
                    threads.submit(() -> Sql.one(clients.get(4), "SELECT 'w1'")),
                    threads.submit(() -> Sql.one(clients.get(5), "SELECT 'w2'")));
            awaitTrue(() -> control.pools().stream().mapToInt(PoolView::waiting).sum() == 2, "two wait");

            PoolView pool = appPool(control);
            assertEquals(4, pool.size());
            assertEquals(4, pool.maxSize());
            assertEquals(4, pool.active());
            assertEquals(0, pool.idle());
            assertEquals(1, pool.pinned());
            assertEquals(2, pool.waiting());
            assertTrue(pool.longestWaitMillis() >= 0);
            assertEquals("found_rows", pool.wireShape());

            List<ClientView> views = control.clients();
            assertEquals(3, count(views, "in-transaction"));
            assertEquals(2, count(views, "waiting"));
            ClientView pinned = views.stream().filter(v -> v.state().equals("pinned")).findFirst().orElseThrow();
            assertEquals("user variable", pinned.pinReason());
            assertEquals("SET @pinned = ?", pinned.lastStatement());
            assertTrue(pinned.backendId() > 0);
            assertEquals("app", pinned.user());
            assertEquals("app", pinned.schema());

            List<BackendView> backends = control.backends().stream().filter(b -> b.pool().startsWith("app@")).toList();
            assertEquals(4, backends.stream().filter(b -> b.state().equals("leased")).count());
            assertTrue(backends.stream().anyMatch(b -> b.id() == pinned.backendId() && b.leasedTo() == pinned.id()));

            StatsView stats = control.stats();
            assertEquals(6, stats.clientConnections());
            assertEquals(Map.of("user_variable", 1L), stats.pinnedByReason());
            assertTrue(stats.serverConnections() >= 4);
            assertEquals(6.0 / stats.serverConnections(), stats.sessionsPerServerConnection(), 1e-9);

            String metrics = control.prometheusText();
            assertEquals(2.0, metric(metrics, "mysqlmux_client_connections", "state=\"waiting\""));
            assertEquals(3.0, metric(metrics, "mysqlmux_client_connections", "state=\"in_transaction\""));
            assertEquals(1.0, metric(metrics, "mysqlmux_client_connections", "state=\"pinned\""));
            assertEquals(1.0, metric(metrics, "mysqlmux_sessions_pinned", "reason=\"user_variable\""));
            assertEquals(2.0, metric(metrics, "mysqlmux_pool_waiting", "pool=\"" + poolKey(pool) + "\""));
            assertEquals((double) stats.queries(), metric(metrics, "mysqlmux_queries_total", ""), 2.0);

            control.setVariable("pool.max_size", "6");
            assertEquals("w1", waiting.get(0).get(10, TimeUnit.SECONDS), "raising max_size served the waiters");
            assertEquals("w2", waiting.get(1).get(10, TimeUnit.SECONDS));
            assertEquals(6, appPool(control).maxSize());
        } finally {
            threads.shutdownNow();
            for (Connection c : clients) {
                c.close();
            }
        }
    }

    @Test
    void killEndsAClientWithTheErrorAKilledClientExpects(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db); Connection victim = proxy.connect();
             Connection bystander = proxy.connect()) {
            ControlView control = proxy.server().control();
            long id = Long.parseLong(Sql.one(victim, "SELECT CONNECTION_ID()"));
            holdConnection(victim);
            assertTrue(control.kill(id));
            awaitTrue(() -> proxy.server().sessions().get(id) == null, "the session ended");
            SQLException killed = assertThrows(SQLException.class, () -> Sql.one(victim, "SELECT 1"));
            assertTrue(killed.getErrorCode() == 1927 || !victim.isValid(1), killed.toString());
            assertFalse(control.kill(id), "no such client any more");
            assertEquals("1", Sql.one(bystander, "SELECT 1"));
        }
    }

    @Test
    void killIdleEndsOnlyClientsIdleThatLong(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db); Connection sleeper = proxy.connect();
             Connection worker = proxy.connect()) {
            Sql.one(sleeper, "SELECT 1");
            Thread.sleep(1500);
            Sql.one(worker, "SELECT 1");
            assertEquals(1, proxy.server().control().killIdle(Duration.ofSeconds(1)));
            assertEquals("1", Sql.one(worker, "SELECT 1"));
            assertThrows(SQLException.class, () -> Sql.one(sleeper, "SELECT 1"));
        }
    }

    @Test
    void pauseHoldsNewWorkLetsTransactionsFinishAndResumeReleasesWithoutErrors(EmbeddedMariaDb db) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (ProxyFixture proxy = ProxyFixture.start(db); Connection inTransaction = proxy.connect();
             Connection newcomer = proxy.connect()) {
            ControlView control = proxy.server().control();
            holdConnection(inTransaction);
            control.pause();
            Health paused = control.health();
            assertFalse(paused.ready());
            assertTrue(paused.reason().contains("paused"), paused.reason());

            Future<String> held = thread.submit(() -> Sql.one(newcomer, "SELECT 'after resume'"));
            assertEquals("2", Sql.one(inTransaction, "SELECT 2"), "an open transaction runs on");
            Sql.exec(inTransaction, "COMMIT");
            Thread.sleep(300);
            assertFalse(held.isDone(), "a command needing a server connection is held");

            control.resume();
            assertEquals("after resume", held.get(10, TimeUnit.SECONDS));
            assertTrue(control.health().ready());
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void setRejectsUnknownNamesAndBadValuesWithClearMessages(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db)) {
            ControlView control = proxy.server().control();
            ControlException unknown = assertThrows(ControlException.class,
                    () -> control.setVariable("pool.maximum_size", "3"));
            assertTrue(unknown.getMessage().contains("unknown setting 'pool.maximum_size'"), unknown.getMessage());
            ControlException bad = assertThrows(ControlException.class, () -> control.setVariable("pool.max_size", "0"));
            assertTrue(bad.getMessage().contains("at least 1"), bad.getMessage());
            ControlException fixed = assertThrows(ControlException.class,
                    () -> control.setVariable("pool.prepared_statements_per_connection", "10"));
            assertTrue(fixed.getMessage().contains("restart"), fixed.getMessage());
            assertEquals("20", control.variables().stream().filter(v -> v.name().equals("pool.max_size"))
                    .findFirst().orElseThrow().value(), "nothing changed");
            assertEquals("30s", control.setVariable("pool.queue_timeout", "30s").value());
            UserView app = control.users().stream().filter(u -> u.name().equals("app")).findFirst().orElseThrow();
            assertEquals(0, app.maxConnections());
            assertEquals("3", control.setVariable("users.app.max_connections", "3").value());
            assertEquals(3, control.users().stream().filter(u -> u.name().equals("app")).findFirst().orElseThrow()
                    .maxConnections());
        }
    }

    @Test
    void reloadAppliesWhatCanChangeLiveAndNamesWhatNeedsARestart(EmbeddedMariaDb db, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("mysqlmux.conf");
        // Ephemeral ports only: the default HTTP port 9033 may be taken on the machine running the tests.
        String base = "mysqlmux { listen = \"127.0.0.1:0\", http.listen = \"127.0.0.1:0\", backend.address = \""
                + db.host() + ":" + db.port()
                + "\", users.app.password = \"" + EmbeddedMariaDb.APP.password() + "\", %s }";
        Files.writeString(file, base.formatted("pool.max_size = 4"));
        ProxyConfig initial = ProxyConfig.from(ConfigFactory.parseFile(file.toFile()));
        ProxyServer server = ProxyServer.start(initial, () -> ProxyConfig.from(ConfigFactory.parseFile(file.toFile())));
        try {
            server.ready().get(60, TimeUnit.SECONDS);
            Files.writeString(file, base.formatted("pool.max_size = 9, users.app.max_connections = 7,"
                    + " pool.prepared_statements_per_connection = 50, listen = \"127.0.0.1:1\""));
            ReloadResult result = server.control().reload();
            assertTrue(result.applied().contains("pool.max_size: 4 -> 9"), result.toString());
            assertTrue(result.applied().contains("users.app.max_connections: 0 -> 7"), result.toString());
            assertTrue(result.needRestart().stream().anyMatch(c -> c.startsWith("pool.prepared_statements_per_connection")),
                    result.toString());
            assertTrue(result.needRestart().stream().anyMatch(c -> c.startsWith("listen")), result.toString());
            assertEquals(9, server.pools().all().iterator().next().maxSize());

            Files.writeString(file, "mysqlmux { pool.max_size = oops }");
            ControlException broken = assertThrows(ControlException.class, () -> server.control().reload());
            assertTrue(broken.getMessage().contains("nothing changed"), broken.getMessage());
        } finally {
            server.close();
        }
    }

    @Test
    void readinessFollowsTheServerAndTheProxyKeepsLiveness(EmbeddedMariaDb db) throws Exception {
        try (TcpRelay relay = TcpRelay.start(db.host(), db.port());
             ProxyFixture proxy = ProxyFixture.startAt(db, "127.0.0.1", relay.port(), Map.of())) {
            ControlView control = proxy.server().control();
            awaitTrue(() -> control.health().ready(), "ready once the server is reached");
            relay.down();
            awaitTrue(() -> !control.health().ready(), "not ready while the server is down");
            Health down = control.health();
            assertTrue(down.live());
            assertTrue(down.reason().contains("cannot be reached"), down.reason());
            relay.up();
            awaitTrue(() -> control.health().ready(), "ready again when it is back");
            try (Connection c = proxy.connect()) {
                assertEquals("1", Sql.one(c, "SELECT 1"));
            }
        }
    }

    /** Every series the Grafana dashboard in conf/ queries exists in the proxy's /metrics text. */
    @Test
    void grafanaDashboardQueriesOnlyMetricsTheProxyExports(EmbeddedMariaDb db) throws Exception {
        String dashboard = Files.readString(Path.of("..", "conf", "grafana-dashboard.json"));
        try (ProxyFixture proxy = ProxyFixture.start(db); Connection c = proxy.connect()) {
            Sql.one(c, "SELECT 1");
            assertThrows(SQLException.class, () -> Sql.one(c, "SELECT * FROM no_such_table"));
            String metrics = proxy.server().control().prometheusText();
            assertEquals(1.0, metric(metrics, "mysqlmux_server_errors_total", "code=\"1146\""));
            Matcher names = Pattern.compile("\\b(mysqlmux_[a-z_]+|jvm_[a-z_]+)").matcher(dashboard);
            int checked = 0;
            while (names.find()) {
                String name = names.group(1);
                assertTrue(Pattern.compile("(?m)^" + name + "[{ ]").matcher(metrics).find(),
                        "the dashboard queries " + name + ", which /metrics does not have");
                checked++;
            }
            assertTrue(checked > 20, "the dashboard was read: " + checked + " series");
        }
    }

    private static PoolView appPool(ControlView control) {
        return control.pools().stream().filter(p -> p.user().equals("app") && p.wireShape().equals("found_rows"))
                .findFirst().orElseThrow();
    }

    private static String poolKey(PoolView pool) {
        return pool.user() + "@" + pool.backend() + "/found_rows";
    }

    private static long count(List<ClientView> views, String state) {
        return views.stream().filter(v -> v.state().equals(state)).count();
    }

    /** The value of one sample of {@code name} whose labels contain {@code label}. */
    static double metric(String text, String name, String label) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([-0-9.eE+]+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(text);
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (labels.contains(label)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no sample " + name + " with " + label + " in:\n" + text);
    }
}
