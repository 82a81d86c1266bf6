package io.mysqlmux.it;

import io.mysqlmux.testing.AdminView;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.ServerView;
import io.mysqlmux.testing.Sql;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One owner for every server connection, seen from the other side (issue 11): when the server ends
 * the connection a session holds, the session's transaction or pinned state is gone, and its client
 * must be told (an error, as a direct client gets 2013), never carried on to another connection as
 * if nothing happened. Real drivers, a pool of one, the server thread killed as root; the client's
 * next statement races the proxy's notice of the close, so each test plays ten rounds.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class LostServerConnectionIT {
    private static final int ROUNDS = 10;

    @BeforeAll
    static void table(EmbeddedMariaDb db) throws SQLException {
        LeaseCaseRunner.createTable(db);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql", "mariadb"})
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void transactionWhoseServerConnectionDiedIsNeverReportedCommitted(String driver, EmbeddedMariaDb db)
            throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1, "pool.queue_timeout", "5s"));
             AdminView admin = AdminView.of(proxy);
             ServerView server = ServerView.of(db, EmbeddedMariaDb.APP.user())) {
            List<String> lost = new ArrayList<>();
            List<String> outcomes = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                long before = Long.parseLong(Sql.one(server.root(), "SELECT v FROM app.lease_rows WHERE id = 1"));
                try (Connection client = connect(proxy, driver)) {
                    client.setAutoCommit(false);
                    Sql.exec(client, "UPDATE lease_rows SET v = v + 1 WHERE id = 1");
                    killServerThreadOf(client, admin, server);
                    String outcome;
                    boolean committed = false;
                    try {
                        Sql.one(client, "SELECT 1");
                        client.commit();
                        committed = true;
                        outcome = "SELECT 1 and COMMIT succeeded";
                    } catch (SQLException e) {
                        outcome = "error " + e.getErrorCode() + " " + e.getMessage();
                    }
                    long after = Long.parseLong(Sql.one(server.root(), "SELECT v FROM app.lease_rows WHERE id = 1"));
                    outcomes.add("round " + round + ": " + outcome + ", v " + before + " -> " + after);
                    if (committed && after != before + 1) {
                        lost.add("round " + round + ": COMMIT succeeded but the update is not in the table (v "
                                + before + " -> " + after + ")");
                    }
                    client.abort(Runnable::run);
                }
            }
            System.out.println("LostServerConnectionIT " + driver + " transaction: " + outcomes);
            assertTrue(lost.isEmpty(), lost.size() + " of " + ROUNDS + " transactions were reported committed"
                    + " although they died with their server connection: " + lost + "\nall rounds: " + outcomes);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql", "mariadb"})
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void userVariableWhoseServerConnectionDiedIsNeverSilentlyNull(String driver, EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1, "pool.queue_timeout", "5s"));
             AdminView admin = AdminView.of(proxy);
             ServerView server = ServerView.of(db, EmbeddedMariaDb.APP.user())) {
            List<String> silent = new ArrayList<>();
            List<String> outcomes = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                try (Connection client = connect(proxy, driver)) {
                    Sql.exec(client, "SET @pinned = 42");
                    killServerThreadOf(client, admin, server);
                    String outcome;
                    try {
                        String value = Sql.one(client, "SELECT @pinned");
                        outcome = "SELECT @pinned = " + value;
                        if (!"42".equals(value)) {
                            silent.add("round " + round + ": " + outcome);
                        }
                    } catch (SQLException e) {
                        outcome = "error " + e.getErrorCode() + " " + e.getMessage();
                    }
                    outcomes.add("round " + round + ": " + outcome);
                    client.abort(Runnable::run);
                }
            }
            System.out.println("LostServerConnectionIT " + driver + " user variable: " + outcomes);
            assertTrue(silent.isEmpty(), silent.size() + " of " + ROUNDS + " clients read their variable back"
                    + " changed, without an error, after its server connection died: " + silent);
        }
    }

    private static Connection connect(ProxyFixture proxy, String driver) throws SQLException {
        String url = driver.equals("mysql") ? proxy.mysqlUrl("app", "socketTimeout=20000")
                : proxy.mariadbUrl("app", "socketTimeout=20000");
        return DriverManager.getConnection(url, EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password());
    }

    /** Finds the server connection leased to the client (SHOW BACKENDS) and kills it on the server. */
    private static void killServerThreadOf(Connection client, AdminView admin, ServerView server) throws Exception {
        long id = Long.parseLong(Sql.one(client, "SELECT CONNECTION_ID()"));
        long thread = admin.serverThreadOf(id).orElseThrow(() -> new AssertionError(
                "no backend leased to client " + id + admin.describe()));
        server.kill(thread);
    }
}
