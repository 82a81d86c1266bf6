package io.mysqlmux.it;

import io.mysqlmux.it.LeaseCase.End;
import io.mysqlmux.it.LeaseCase.Hold;
import io.mysqlmux.testing.AdminView;
import io.mysqlmux.testing.DyingClient;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.ServerView;
import io.mysqlmux.testing.Sql;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Plays one {@link LeaseCase} against a proxy whose pool has ONE server connection, then checks
 * that the pool is whole, only through what a user sees: a new client is served at once (well
 * within queue_timeout), nothing of the departed session is visible to it, SHOW POOLS is back to
 * active 0 / waiting 0 / pinned 0, and the server shows at most one connection of the app user, with
 * no transaction and no lock left. Every failure message carries the admin views and the server's.
 */
final class LeaseCaseRunner {
    /** A fresh client must be served within this; the proxies under test have queue_timeout 5 s. */
    static final long PROMPT_MILLIS = 3_000;
    static final String QUEUE_TIMEOUT = "5s";
    private static final long SETTLE_MILLIS = 5_000;

    private final int proxyPort;
    private final AdminView admin;
    private final ServerView server;
    private final List<String> notes = new ArrayList<>();
    private long lastVictimId = -1;

    LeaseCaseRunner(int proxyPort, AdminView admin, ServerView server) {
        this.proxyPort = proxyPort;
        this.admin = admin;
        this.server = server;
    }

    /** The table the cases lock and update; row 2 must always read 20 afterwards. */
    static void createTable(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE app.lease_rows (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
            s.execute("INSERT INTO app.lease_rows VALUES (1, 10), (2, 20)");
        }
    }

    /** Plays the case and checks the pool; returns what the participants saw, for the report. */
    String run(LeaseCase c) throws Exception {
        notes.clear();
        DyingClient victim = DyingClient.connect(proxyPort, EmbeddedMariaDb.APP, "app");
        lastVictimId = victim.connectionId();
        Connection holder = null;
        try {
            holder = hold(c, victim);
            note("victim " + victim.connectionId() + " before the end: "
                    + admin.client(victim.connectionId()).map(r -> r.get("state") + "/" + r.get("pin_reason"))
                    .orElse("not listed"));
            end(c, victim);
            if (holder != null) {
                long started = System.nanoTime();
                Sql.exec(holder, "COMMIT");
                note("holder committed in " + millisSince(started) + " ms");
                holder.close();
                holder = null;
            }
            if (c.hold() == Hold.WAITING && c.end() == End.COM_QUIT) {
                note("victim after its queued COM_QUIT: " + (victim.awaitClosedByPeer(SETTLE_MILLIS) ? "closed" : "open"));
            }
        } finally {
            if (holder != null) {
                holder.close();
            }
            victim.close();
        }
        checkPoolIsWhole(c, victim.connectionId());
        return String.join("; ", notes);
    }

    private Connection hold(LeaseCase c, DyingClient victim) throws Exception {
        switch (c.hold()) {
            case TRANSACTION -> {
                victim.run("START TRANSACTION");
                victim.run("SELECT v FROM lease_rows WHERE id = 1 FOR UPDATE");
                victim.run("UPDATE lease_rows SET v = 999 WHERE id = 2");
            }
            case USER_VARIABLE -> victim.run("SET @lease_secret = 'from the victim'");
            case TEMPORARY_TABLE -> {
                victim.run("CREATE TEMPORARY TABLE lease_scratch (x INT)");
                victim.run("INSERT INTO lease_scratch VALUES (1)");
            }
            case WAITING -> {
                Connection holder = connect();
                Sql.exec(holder, "START TRANSACTION");
                Sql.one(holder, "SELECT 1");
                victim.sendQuery("SELECT 'the victim waited'");
                await("the victim's command waits in the queue", () -> admin.poolValue("app", "waiting") == 1);
                return holder;
            }
            case SLEEPING -> {
                victim.sendQuery("SELECT SLEEP(2)");
                await("SLEEP(2) runs on the server", () -> server.connections().stream()
                        .anyMatch(p -> p.info() != null && p.info().startsWith("SELECT SLEEP")));
            }
            case BIG_RESULT -> {
                victim.sendQuery("SELECT REPEAT('x', 1000) FROM seq_1_to_30000");
                victim.readPackets(10);
                Thread.sleep(300); // the proxy fills the socket buffers and stops reading the server
            }
            case CURSOR -> victim.executeWithCursor(victim.prepare("SELECT seq FROM seq_1_to_1000"));
            case ADVISORY_LOCK -> victim.run("SELECT GET_LOCK('lease_lock', 0)");
            case SYNC_IN_FLIGHT -> {
                victim.run("SET SESSION sql_mode = 'ANSI_QUOTES', time_zone = '+03:00'");
                try (Connection other = connect()) {
                    note("another client's time_zone: " + Sql.one(other, "SELECT @@session.time_zone"));
                }
                victim.sendQuery("SELECT 1"); // needs the sync first; the end follows at once
            }
            case SCHEMA_SYNC_FAILS -> {
                Sql.exec(server.root(), "CREATE DATABASE IF NOT EXISTS lease_gone");
                victim.run("USE lease_gone");
                victim.run("SELECT 1");
                try (Connection other = connect()) {
                    note("another client's schema: " + Sql.one(other, "SELECT DATABASE()"));
                }
                Sql.exec(server.root(), "DROP DATABASE lease_gone");
                victim.sendQuery("SELECT DATABASE()");
                note("victim after its schema was dropped: " + victim.nextEvent(5_000));
            }
        }
        return null;
    }

    private void end(LeaseCase c, DyingClient victim) throws Exception {
        long id = victim.connectionId();
        switch (c.end()) {
            case COM_QUIT -> {
                victim.sendQuit();
                if (c.hold() != Hold.WAITING) {
                    note("victim after COM_QUIT: " + (victim.awaitClosedByPeer(SETTLE_MILLIS) ? "closed" : "open"));
                }
            }
            case FIN -> {
                victim.fin();
                awaitGone(id);
            }
            case RST -> victim.rst();
            case KILL_FROM_CLIENT -> {
                // A raw client: it logs in without the queries a driver runs first, which would wait
                // for the very connection the victim holds.
                try (DyingClient killer = DyingClient.connect(proxyPort, EmbeddedMariaDb.APP, "app")) {
                    long started = System.nanoTime();
                    try {
                        killer.run("KILL " + id);
                        note("KILL from another client answered OK in " + millisSince(started) + " ms");
                    } catch (IOException e) {
                        note("KILL from another client failed after " + millisSince(started) + " ms: "
                                + e.getMessage());
                    }
                    killer.sendQuitQuietly();
                }
                afterKill(c, victim, "KILL from another client");
            }
            case ADMIN_KILL -> {
                note("admin KILL affected " + admin.execute("KILL " + id));
                afterKill(c, victim, "admin KILL");
            }
            case IDLE_TIMEOUT -> timeout("client.idle_timeout", "8h", victim);
            case IDLE_IN_TRANSACTION_TIMEOUT -> timeout("client.idle_in_transaction_timeout", "5m", victim);
            case SERVER_KILL, SERVER_KILL_THEN_STATEMENT -> {
                long thread = serverThreadOf(id);
                server.kill(thread);
                note("killed server thread " + thread);
                if (c.hold() == Hold.SLEEPING || c.hold() == Hold.BIG_RESULT) {
                    note("victim after the server closed: " + (victim.awaitClosedByPeer(SETTLE_MILLIS) ? "closed"
                            : "open (" + victim.nextEvent(500) + ")"));
                } else {
                    if (c.end() == End.SERVER_KILL) {
                        await("the proxy noticed that server thread " + thread + " is gone",
                                () -> admin.backends().stream().noneMatch(b -> b.get("server_thread_id")
                                        .equals(Long.toString(thread))));
                    }
                    nextStatementMustFail(c, victim);
                }
                victim.sendQuitQuietly();
            }
        }
    }

    /**
     * The transaction or the pinned state died with the server connection: the client must hear of
     * it (an ERR or a closed connection, as a direct client gets 2013), not go on without it.
     */
    private void nextStatementMustFail(LeaseCase c, DyingClient victim) {
        String next;
        try {
            victim.sendQuery(c.hold() == Hold.USER_VARIABLE ? "SELECT @lease_secret" : "SELECT 1");
            next = victim.nextEvent(5_000);
        } catch (IOException e) {
            next = "closed (" + e.getMessage() + ")";
        }
        note("victim's next statement after the server closed: " + next);
        if (!(next.startsWith("ERR") || next.startsWith("closed"))) {
            throw new AssertionError(c + ": the victim's next statement got a result although its "
                    + (c.hold() == Hold.TRANSACTION ? "transaction" : "pinned session state")
                    + " died with the server connection (" + next + ")" + context());
        }
    }

    /**
     * KILL ends the connection now, also in the middle of a statement, as on the server: a killed
     * SLEEP(2) must not run to its end first. (An interrupted SLEEP answers 1, so its result may still
     * arrive, and rows of a big result already on their way too: what counts is the close.)
     */
    private void afterKill(LeaseCase c, DyingClient victim, String kill) throws Exception {
        long started = System.nanoTime();
        if (c.hold() == Hold.SLEEPING) {
            boolean closed = victim.awaitClosedByPeer(1_500);
            note("victim after " + kill + ": " + (closed ? "closed after " + millisSince(started) + " ms"
                    : "still open after 1.5 s"));
            if (!closed) {
                throw new AssertionError(c + ": the killed client was still connected 1.5 s after " + kill
                        + ": its SLEEP(2) was not stopped" + context());
            }
        } else if (c.hold() == Hold.BIG_RESULT) {
            note("victim after " + kill + ": " + (victim.awaitClosedByPeer(SETTLE_MILLIS) ? "closed" : "still open"));
        } else {
            note("victim after " + kill + ": " + victim.nextEvent(2_000) + " after " + millisSince(started) + " ms");
        }
    }

    private void timeout(String setting, String restore, DyingClient victim) throws Exception {
        admin.execute("SET " + setting + " = 1s");
        try {
            boolean closed = victim.awaitClosedByPeer(6_000);
            note("victim after " + setting + " 1s: " + (closed ? "closed" : "still open after 6 s"));
        } finally {
            admin.execute("SET " + setting + " = " + restore);
        }
    }

    private long serverThreadOf(long clientId) throws SQLException {
        Optional<Long> leased = admin.serverThreadOf(clientId);
        if (leased.isPresent()) {
            return leased.get();
        }
        List<ServerView.Process> processes = server.connections();
        if (processes.size() != 1) {
            throw new AssertionError("SHOW BACKENDS names no backend leased to " + clientId
                    + " and the server has " + processes + context());
        }
        note("SHOW BACKENDS names no backend leased to the victim; killing the app user's only connection");
        return processes.get(0).id();
    }

    private void checkPoolIsWhole(LeaseCase c, long victimId) throws Exception {
        awaitGone(victimId);
        try (Connection fresh = connect()) {
            long started = System.nanoTime();
            try {
                Sql.one(fresh, "SELECT 1");
            } catch (SQLException e) {
                throw new AssertionError(c + ": a new client was not served (after " + millisSince(started)
                        + " ms): " + e.getErrorCode() + " " + e.getMessage() + context(), e);
            }
            long servedMillis = millisSince(started);
            note("a new client was served in " + servedMillis + " ms");
            if (servedMillis > PROMPT_MILLIS) {
                throw new AssertionError(c + ": a new client waited " + servedMillis + " ms for the idle pool"
                        + context());
            }
            expect(c, "0", Sql.one(fresh, "SELECT @@in_transaction"), "the new client is in no transaction");
            expect(c, null, Sql.one(fresh, "SELECT @lease_secret"), "the victim's user variable is not visible");
            expect(c, null, Sql.one(fresh, "SELECT IS_USED_LOCK('lease_lock')"), "the victim's advisory lock is free");
            expect(c, "1", Sql.one(fresh, "SELECT @@session.time_zone = @@global.time_zone"
                    + " AND @@session.sql_mode = @@global.sql_mode"), "the victim's sql_mode and time_zone are not the new client's");
            expect(c, "20", Sql.one(fresh, "SELECT v FROM lease_rows WHERE id = 2"),
                    "the victim's uncommitted update is not visible");
            try {
                Sql.one(fresh, "SELECT COUNT(*) FROM lease_scratch");
                throw new AssertionError(c + ": the victim's temporary table is visible to the new client" + context());
            } catch (SQLException expected) {
                expect(c, "1146", Integer.toString(expected.getErrorCode()), "no temporary table lease_scratch");
            }
        }
        try (Statement s = server.root().createStatement()) {
            s.execute("SET SESSION innodb_lock_wait_timeout = 2");
            try {
                s.executeUpdate("UPDATE app.lease_rows SET v = v + 1 WHERE id = 1");
            } catch (SQLException e) {
                throw new AssertionError(c + ": the victim's row lock is still held on the server: " + e.getMessage()
                        + context(), e);
            }
        }
        await(c + ": SHOW POOLS back to active 0, waiting 0, pinned 0, size <= 1", () -> {
            Map<String, String> pool = admin.pool("app").orElseThrow();
            return pool.get("active").equals("0") && pool.get("waiting").equals("0") && pool.get("pinned").equals("0")
                    && Integer.parseInt(pool.get("size")) <= 1;
        });
        await(c + ": the server has at most one app connection, no open transaction", () ->
                server.connections().size() <= 1 && server.openTransactions().isEmpty());
    }

    /** The proxy's id of the last case's victim. */
    long lastVictimId() {
        return lastVictimId;
    }

    /** Whether a new client gets an answer to SELECT 1 (within queue_timeout); for deciding whether to go on. */
    boolean poolServes() {
        try (Connection fresh = connect()) {
            return "1".equals(Sql.one(fresh, "SELECT 1"));
        } catch (SQLException e) {
            note("a new client was not served: " + e.getErrorCode() + " " + e.getMessage());
            return false;
        }
    }

    private void expect(LeaseCase c, String expected, String actual, String what) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            throw new AssertionError(c + ": " + what + " (expected " + expected + ", got " + actual + ")" + context());
        }
    }

    private void awaitGone(long clientId) throws Exception {
        await("client " + clientId + " is gone from SHOW CLIENTS", () -> admin.client(clientId).isEmpty());
    }

    private void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        while (!condition.call()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + SETTLE_MILLIS + " ms: " + what + context());
            }
            Thread.sleep(20);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxyPort + "/app?sslMode=DISABLED"
                        + "&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=20000",
                EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password());
    }

    private void note(String text) {
        notes.add(text);
    }

    /** What the participants saw so far, the admin views and the server's, for a failure message. */
    String context() {
        return "\n  seen: " + String.join("; ", notes) + admin.describe() + "\n  " + server.describe();
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
