package io.mysqlmux.it;

import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.mysqlmux.it.ControlViewIT.metric;
import static io.mysqlmux.it.QueueIT.awaitTrue;
import static io.mysqlmux.it.QueueIT.holdConnection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin port driven the way operators drive it: mysql-connector-j (and MariaDB Connector/J)
 * logged in as the admin user, running the statement language while a known load runs, and the
 * HTTP endpoint scraped at the same moment.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class AdminPortIT {

    @Test
    void showStatementsDescribeAKnownLoadAndMetricsAgree(EmbeddedMariaDb db) throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        List<Connection> clients = new ArrayList<>();
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 4, "pool.queue_timeout", "60s"));
             Connection admin = proxy.admin()) {
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
            awaitTrue(() -> proxy.server().control().stats().queueWaits() >= 2
                    && proxy.server().pools().all().stream().mapToInt(p -> p.counts().waiting()).sum() == 2, "two wait");

            Map<String, String> pool = rows(admin, "SHOW POOLS").stream()
                    .filter(r -> r.get("user").equals("app") && r.get("wire_shape").equals("found_rows"))
                    .findFirst().orElseThrow();
            assertEquals("4", pool.get("size"));
            assertEquals("4", pool.get("max_size"));
            assertEquals("4", pool.get("active"));
            assertEquals("0", pool.get("idle"));
            assertEquals("1", pool.get("pinned"));
            assertEquals("2", pool.get("waiting"));

            List<Map<String, String>> clientRows = rows(admin, "show clients;");
            assertEquals(3, clientRows.stream().filter(r -> r.get("state").equals("in-transaction")).count());
            assertEquals(2, clientRows.stream().filter(r -> r.get("state").equals("waiting")).count());
            Map<String, String> pinned = clientRows.stream().filter(r -> r.get("state").equals("pinned"))
                    .findFirst().orElseThrow();
            assertEquals("user variable", pinned.get("pin_reason"));
            assertEquals("SET @pinned = ?", pinned.get("last_statement"));
            assertEquals(6, rows(admin, "SHOW PROCESSLIST").size());

            List<Map<String, String>> backends = rows(admin, "SHOW BACKENDS");
            assertTrue(backends.stream().anyMatch(b -> b.get("id").equals(pinned.get("backend_id"))
                    && b.get("leased_to").equals(pinned.get("id")) && b.get("state").equals("leased")));

            Map<String, String> stats = nameValue(rows(admin, "SHOW STATS"));
            assertEquals("6", stats.get("client_connections"));
            assertEquals("1", stats.get("pinned.user_variable"));
            String metrics = get(proxy.httpBase() + "/metrics").body();
            assertEquals(Double.parseDouble(stats.get("client_connections")),
                    metric(metrics, "mysqlmux_client_connections", "state=\"waiting\"")
                            + metric(metrics, "mysqlmux_client_connections", "state=\"in_transaction\"")
                            + metric(metrics, "mysqlmux_client_connections", "state=\"pinned\"")
                            + metric(metrics, "mysqlmux_client_connections", "state=\"idle\"")
                            + metric(metrics, "mysqlmux_client_connections", "state=\"active\""));
            assertEquals(2.0, metric(metrics, "mysqlmux_pool_waiting", "found_rows"));
            assertEquals(1.0, metric(metrics, "mysqlmux_sessions_pinned", "reason=\"user_variable\""));
            assertEquals(Double.parseDouble(stats.get("rejected.access_denied")),
                    metric(metrics, "mysqlmux_client_rejected_total", "reason=\"access_denied\""));

            try (Statement s = admin.createStatement()) {
                assertEquals(0, s.executeUpdate("SET pool.max_size = 6"));
            }
            assertEquals("w1", waiting.get(0).get(10, TimeUnit.SECONDS), "a waiting client proceeds after SET");
            assertEquals("w2", waiting.get(1).get(10, TimeUnit.SECONDS));
            assertEquals("6", nameValueOf(rows(admin, "SHOW VARIABLES LIKE 'pool.max%'"), "pool.max_size"));
        } finally {
            threads.shutdownNow();
            for (Connection c : clients) {
                c.close();
            }
        }
    }

    @Test
    void killGivesTheClientTheErrorAKilledClientExpects(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db); Connection admin = proxy.admin();
             Connection victim = proxy.connect()) {
            long id = Long.parseLong(Sql.one(victim, "SELECT CONNECTION_ID()"));
            try (Statement s = admin.createStatement()) {
                assertEquals(1, s.executeUpdate("KILL " + id));
            }
            awaitTrue(() -> proxy.server().sessions().get(id) == null, "the client was ended");
            SQLException killed = assertThrows(SQLException.class, () -> Sql.one(victim, "SELECT 1"));
            assertTrue(killed.getErrorCode() == 1927 || !victim.isValid(1), killed.toString());
            SQLException unknown = assertThrows(SQLException.class, () -> Sql.exec(admin, "KILL " + id));
            assertEquals(1094, unknown.getErrorCode());
            assertEquals("HY000", unknown.getSQLState());
        }
    }

    @Test
    void pauseAndResumeHoldAndReleaseCommandsWithoutErrors(EmbeddedMariaDb db) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (ProxyFixture proxy = ProxyFixture.start(db); Connection admin = proxy.admin();
             Connection client = proxy.connect()) {
            Sql.exec(admin, "PAUSE");
            HttpResponse<String> ready = get(proxy.httpBase() + "/health/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("paused"), ready.body());
            Future<String> held = thread.submit(() -> Sql.one(client, "SELECT 'held'"));
            Thread.sleep(300);
            assertFalse(held.isDone());
            Sql.exec(admin, "RESUME");
            assertEquals("held", held.get(10, TimeUnit.SECONDS));
            assertEquals(200, get(proxy.httpBase() + "/health/ready").statusCode());
            assertEquals(200, get(proxy.httpBase() + "/health/live").statusCode());
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void badStatementsAndValuesGetClearErrorsAndTheSessionGoesOn(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db); Connection admin = proxy.admin()) {
            SQLException syntax = assertThrows(SQLException.class, () -> Sql.exec(admin, "SHOW POOLZ"));
            assertEquals(1064, syntax.getErrorCode());
            assertEquals("42000", syntax.getSQLState());
            assertTrue(syntax.getMessage().contains("near 'POOLZ' at position 6"), syntax.getMessage());

            SQLException unknown = assertThrows(SQLException.class, () -> Sql.exec(admin, "SET pool.maxsize = 3"));
            assertEquals(1193, unknown.getErrorCode(), unknown.getMessage());
            SQLException bad = assertThrows(SQLException.class, () -> Sql.exec(admin, "SET pool.max_size = -1"));
            assertEquals(1231, bad.getErrorCode(), bad.getMessage());
            assertTrue(bad.getMessage().contains("at least 1"), bad.getMessage());
            SQLException fixed = assertThrows(SQLException.class,
                    () -> Sql.exec(admin, "SET pool.prepared_statements_per_connection = 5"));
            assertEquals(1238, fixed.getErrorCode(), fixed.getMessage());

            assertEquals("20", nameValueOf(rows(admin, "show variables like 'POOL.MAX\\_SIZE'"), "pool.max_size"));
            assertTrue(rows(admin, "HELP").size() >= 10);
            assertEquals("app", rows(admin, "SHOW USERS").get(0).get("user"));
        }
    }

    @Test
    void onlyTheAdminUserGetsInAndItGetsInAtTheClientLimit(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("max_client_connections", 1));
             Connection only = proxy.connect()) {
            SQLException full = assertThrows(SQLException.class, proxy::connect);
            assertEquals(1040, full.getErrorCode());
            String url = "jdbc:mysql://127.0.0.1:" + proxy.server().adminEndpoints().adminAddress().getPort()
                    + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true";
            SQLException app = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url, "app", EmbeddedMariaDb.APP.password()));
            assertEquals(1045, app.getErrorCode());
            assertEquals("28000", app.getSQLState());
            SQLException wrong = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "admin", "nope"));
            assertEquals(1045, wrong.getErrorCode());
            try (Connection admin = proxy.admin()) {
                assertEquals("1", nameValue(rows(admin, "SHOW STATS")).get("rejected.max_client_connections"),
                        "the admin reserve: in while clients are refused");
            }
            assertEquals("1", Sql.one(only, "SELECT 1"));
        }
    }

    @Test
    void mariadbConnectorAndTheHttpEndpointWork(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db);
             Connection admin = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:"
                     + proxy.server().adminEndpoints().adminAddress().getPort() + "/", "admin",
                     ProxyFixture.ADMIN_PASSWORD)) {
            assertFalse(rows(admin, "SHOW POOLS").isEmpty());
            HttpResponse<String> metrics = get(proxy.httpBase() + "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertEquals(404, get(proxy.httpBase() + "/nope").statusCode());
        }
    }

    static List<Map<String, String>> rows(Connection c, String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static Map<String, String> nameValue(List<Map<String, String>> rows) {
        Map<String, String> map = new LinkedHashMap<>();
        rows.forEach(r -> map.put(r.get("name"), r.get("value")));
        return map;
    }

    private static String nameValueOf(List<Map<String, String>> variables, String name) {
        return variables.stream().filter(r -> r.get("variable_name").equals(name)).findFirst().orElseThrow()
                .get("value");
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
