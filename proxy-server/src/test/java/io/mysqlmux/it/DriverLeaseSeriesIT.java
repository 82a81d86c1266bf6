package io.mysqlmux.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mysqlmux.testing.AdminView;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.ServerView;
import io.mysqlmux.testing.Sql;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The two-session cases of the bug report, the way applications produce them: real drivers (and
 * HikariCP) pin, create temporary tables, reset, change user, time out and cut their connections,
 * one after another in ONE proxy with a pool of ONE server connection. After every case a new
 * client must be served at once and SHOW POOLS must come back to active 0, waiting 0, pinned 0;
 * the report saw instead "1226 size 1/1, idle 0, waiting 0" with the server showing the connection
 * idle (Sleep) for minutes: a lease nobody owns.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class DriverLeaseSeriesIT {

    /** One case: whatever the drivers do; it must close everything it opens. */
    @FunctionalInterface
    private interface Case {
        void play(ProxyFixture proxy) throws Exception;
    }

    @BeforeAll
    static void table(EmbeddedMariaDb db) throws SQLException {
        LeaseCaseRunner.createTable(db);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void driverCasesInOneProxyLeaveThePoolWholeForTheNext(EmbeddedMariaDb db) throws Exception {
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("connector-j: SET @x, then COM_CHANGE_USER back to app", proxy -> {
            try (Connection c = mysql(proxy, "")) {
                Sql.exec(c, "SET @x = 1");
                c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).changeUser(EmbeddedMariaDb.APP.user(),
                        EmbeddedMariaDb.APP.password());
                expectNull(Sql.one(c, "SELECT @x"), "@x after COM_CHANGE_USER");
            }
        });
        cases.put("MariaDB Connector/J: temporary table, then reset() (COM_RESET_CONNECTION)", proxy -> {
            try (Connection c = mariadb(proxy, "useResetConnection=true")) {
                Sql.exec(c, "CREATE TEMPORARY TABLE lease_scratch (x INT)");
                c.unwrap(org.mariadb.jdbc.Connection.class).reset();
                Sql.one(c, "SELECT 1");
            }
        });
        cases.put("MariaDB Connector/J: temporary table, then abort()", proxy -> {
            Connection c = mariadb(proxy, "");
            Sql.exec(c, "CREATE TEMPORARY TABLE lease_scratch (x INT)");
            c.abort(Runnable::run);
        });
        cases.put("MariaDB Connector/J: row updated in a transaction, then close()", proxy -> {
            try (Connection c = mariadb(proxy, "")) {
                c.setAutoCommit(false);
                Sql.exec(c, "UPDATE lease_rows SET v = 999 WHERE id = 2");
            }
        });
        cases.put("connector-j: server-side prepared statement in a transaction, then abort()", proxy -> {
            Connection c = mysql(proxy, "useServerPrepStmts=true");
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("UPDATE lease_rows SET v = ? WHERE id = 2")) {
                p.setInt(1, 999);
                p.executeUpdate();
            }
            c.abort(Runnable::run);
        });
        cases.put("MariaDB Connector/J: pipelined prepare + execute, user variable, then abort()", proxy -> {
            Connection c = mariadb(proxy, "useServerPrepStmts=true");
            Sql.exec(c, "SET @lease_secret = 'x'");
            try (PreparedStatement p = c.prepareStatement("SELECT v FROM lease_rows WHERE id = ?")) {
                p.setInt(1, 1);
                p.executeQuery().close();
            }
            c.abort(Runnable::run);
        });
        cases.put("HikariCP over connector-j: pinned connection returned to the pool, pool closed", proxy -> {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(proxy.mysqlUrl("app", "socketTimeout=20000"));
            config.setUsername(EmbeddedMariaDb.APP.user());
            config.setPassword(EmbeddedMariaDb.APP.password());
            config.setMaximumPoolSize(1);
            config.setMinimumIdle(1);
            config.setConnectionTimeout(10_000);
            try (HikariDataSource ds = new HikariDataSource(config)) {
                try (Connection c = ds.getConnection()) {
                    Sql.exec(c, "SET @lease_secret = 'hikari'");
                }
                try (Connection c = ds.getConnection()) {
                    Sql.one(c, "SELECT 1");
                }
            }
        });
        cases.put("connector-j: setQueryTimeout(1) on SELECT SLEEP(3) (KILL QUERY from a second connection)", proxy -> {
            try (Connection c = mysql(proxy, ""); Statement s = c.createStatement()) {
                s.setQueryTimeout(1);
                try {
                    s.executeQuery("SELECT SLEEP(3)").close();
                } catch (SQLException timedOut) {
                    // either way: what counts is the pool afterwards
                }
            }
        });
        cases.put("MariaDB Connector/J: GET_LOCK, then abort()", proxy -> {
            Connection c = mariadb(proxy, "");
            Sql.one(c, "SELECT GET_LOCK('lease_lock', 0)");
            c.abort(Runnable::run);
        });
        cases.put("connector-j: in a transaction, killed by idle_in_transaction_timeout", proxy -> {
            try (AdminView admin = AdminView.of(proxy); Connection c = mysql(proxy, "")) {
                c.setAutoCommit(false);
                Sql.exec(c, "UPDATE lease_rows SET v = 999 WHERE id = 2");
                admin.execute("SET client.idle_in_transaction_timeout = 1s");
                try {
                    Thread.sleep(2_500);
                } finally {
                    admin.execute("SET client.idle_in_transaction_timeout = 5m");
                }
                c.abort(Runnable::run);
            }
        });
        List<String> failures = new ArrayList<>();
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1,
                "pool.queue_timeout", LeaseCaseRunner.QUEUE_TIMEOUT));
             AdminView admin = AdminView.of(proxy);
             ServerView server = ServerView.of(db, EmbeddedMariaDb.APP.user())) {
            int played = 0;
            for (Map.Entry<String, Case> c : cases.entrySet()) {
                played++;
                String problem = null;
                try {
                    c.getValue().play(proxy);
                } catch (Exception | AssertionError e) {
                    problem = "the case itself failed: " + e;
                }
                String whole = poolIsWhole(proxy, admin);
                if (whole != null) {
                    problem = (problem == null ? "" : problem + "; ") + whole;
                }
                System.out.println("driver series case " + played + " (" + c.getKey() + "): "
                        + (problem == null ? "pool whole" : problem));
                if (problem != null) {
                    failures.add("case " + played + " (" + c.getKey() + "): " + problem + admin.describe()
                            + "\n  " + server.describe());
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + cases.size() + " driver cases left the pool"
                    + " of one broken:\n" + String.join("\n\n", failures));
        }
    }

    /** Null when a new client is served at once and SHOW POOLS settles; else what is wrong. */
    private static String poolIsWhole(ProxyFixture proxy, AdminView admin) throws Exception {
        try (Connection fresh = mysql(proxy, "")) {
            long started = System.nanoTime();
            try {
                Sql.one(fresh, "SELECT 1");
            } catch (SQLException e) {
                return "a new client was not served: " + e.getErrorCode() + " " + e.getMessage();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (millis > LeaseCaseRunner.PROMPT_MILLIS) {
                return "a new client waited " + millis + " ms";
            }
            if (!"20".equals(Sql.one(fresh, "SELECT v FROM lease_rows WHERE id = 2"))) {
                return "an uncommitted update of a departed client is visible";
            }
        } catch (SQLException e) {
            return "a new client could not log in: " + e.getErrorCode() + " " + e.getMessage();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            Map<String, String> pool = admin.pool("app").orElseThrow();
            if (pool.get("active").equals("0") && pool.get("waiting").equals("0") && pool.get("pinned").equals("0")) {
                return null;
            }
            if (System.nanoTime() - deadline > 0) {
                return "SHOW POOLS did not settle: " + pool;
            }
            Thread.sleep(20);
        }
    }

    private static void expectNull(String value, String what) {
        if (value != null) {
            throw new AssertionError(what + " is " + value + ", expected NULL");
        }
    }

    private static Connection mysql(ProxyFixture proxy, String params) throws SQLException {
        return DriverManager.getConnection(proxy.mysqlUrl("app", "socketTimeout=20000"
                + (params.isEmpty() ? "" : "&" + params)), EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password());
    }

    private static Connection mariadb(ProxyFixture proxy, String params) throws SQLException {
        return DriverManager.getConnection(proxy.mariadbUrl("app", "socketTimeout=20000"
                + (params.isEmpty() ? "" : "&" + params)), EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password());
    }
}
