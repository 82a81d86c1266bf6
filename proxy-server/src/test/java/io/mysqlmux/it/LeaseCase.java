package io.mysqlmux.it;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One way a client session holds (or waits for) the pool's only server connection, and one way that
 * session ends: the cases of "one owner for every server connection" (issue 11). {@link LeaseCaseRunner}
 * plays a case and then checks that the pool is whole.
 */
record LeaseCase(Hold hold, End end) {

    /** What the session is doing with the server connection when it ends. */
    enum Hold {
        /** START TRANSACTION, a row locked FOR UPDATE and another one updated. */
        TRANSACTION,
        /** {@code SET @x = ...}: pinned (user variable). */
        USER_VARIABLE,
        /** {@code CREATE TEMPORARY TABLE}: pinned (temporary table). */
        TEMPORARY_TABLE,
        /** Its command waits in the queue while another client holds the connection in a transaction. */
        WAITING,
        /** {@code SELECT SLEEP(2)} running on the server. */
        SLEEPING,
        /** A ~30 MB result (more than every socket buffer on the way): the client read a few rows, then stopped. */
        BIG_RESULT,
        /** A prepared statement executed with a read-only cursor, no row fetched yet (cursor exists). */
        CURSOR,
        /** {@code GET_LOCK('lease_lock', 0)}: an advisory lock no tracker reports, pinned by the lexer. */
        ADVISORY_LOCK,
        /**
         * Its session state (sql_mode, time_zone) differs from the connection's, so the proxy syncs it
         * before the next command; the session ends right after sending that command, while it syncs.
         */
        SYNC_IN_FLIGHT,
        /** Its schema was dropped while another client used the connection: COM_INIT_DB fails on the next lease. */
        SCHEMA_SYNC_FAILS
    }

    /** How the session ends. */
    enum End {
        /** The client says COM_QUIT, as a driver's close() does. */
        COM_QUIT,
        /** The client's socket sends FIN without COM_QUIT (a process that exits). */
        FIN,
        /** The client's socket is reset (linger 0: a killed process, a firewall). */
        RST,
        /** Another client of the proxy runs {@code KILL <id>} (the proxy's id, from CONNECTION_ID()). */
        KILL_FROM_CLIENT,
        /** The operator runs {@code KILL <id>} on the admin port. */
        ADMIN_KILL,
        /** client.idle_timeout (set to 1 s) runs out. */
        IDLE_TIMEOUT,
        /** client.idle_in_transaction_timeout (set to 1 s) runs out. */
        IDLE_IN_TRANSACTION_TIMEOUT,
        /**
         * The server ends the connection: KILL of its thread, run as root directly on MariaDB. The
         * client's next statement comes once the proxy has noticed (the backend left SHOW BACKENDS).
         */
        SERVER_KILL,
        /** As {@link #SERVER_KILL}, with the client's next statement sent at once, racing the proxy's notice. */
        SERVER_KILL_THEN_STATEMENT
    }

    private static final Set<End> ANY_TIME = EnumSet.of(End.COM_QUIT, End.FIN, End.RST, End.KILL_FROM_CLIENT,
            End.ADMIN_KILL);

    /** Every case that makes sense: a waiting or running client is not idle, only a transaction is idle in one. */
    static List<LeaseCase> all() {
        List<LeaseCase> cases = new ArrayList<>();
        for (Hold hold : Hold.values()) {
            for (End end : ends(hold)) {
                cases.add(new LeaseCase(hold, end));
            }
        }
        return cases;
    }

    /**
     * A short series in the spirit of the bug report (pinning, temporary tables, abrupt disconnects,
     * kills), for tests that need a proxy which has been through them rather than every case.
     */
    static List<LeaseCase> shortSeries() {
        return List.of(new LeaseCase(Hold.TRANSACTION, End.RST), new LeaseCase(Hold.USER_VARIABLE, End.COM_QUIT),
                new LeaseCase(Hold.TEMPORARY_TABLE, End.FIN), new LeaseCase(Hold.TEMPORARY_TABLE, End.ADMIN_KILL),
                new LeaseCase(Hold.USER_VARIABLE, End.KILL_FROM_CLIENT), new LeaseCase(Hold.WAITING, End.RST),
                new LeaseCase(Hold.SLEEPING, End.RST), new LeaseCase(Hold.BIG_RESULT, End.FIN),
                new LeaseCase(Hold.TRANSACTION, End.SERVER_KILL));
    }

    private static Set<End> ends(Hold hold) {
        Set<End> ends = EnumSet.copyOf(ANY_TIME);
        switch (hold) {
            case TRANSACTION -> ends.addAll(EnumSet.of(End.IDLE_TIMEOUT, End.IDLE_IN_TRANSACTION_TIMEOUT,
                    End.SERVER_KILL, End.SERVER_KILL_THEN_STATEMENT));
            case USER_VARIABLE, TEMPORARY_TABLE -> ends.addAll(EnumSet.of(End.IDLE_TIMEOUT, End.SERVER_KILL,
                    End.SERVER_KILL_THEN_STATEMENT));
            case SLEEPING, BIG_RESULT -> ends.add(End.SERVER_KILL);
            case CURSOR, ADVISORY_LOCK -> ends.addAll(EnumSet.of(End.IDLE_TIMEOUT, End.SERVER_KILL));
            case SYNC_IN_FLIGHT -> ends.retainAll(EnumSet.of(End.COM_QUIT, End.FIN, End.RST));
            case WAITING -> { }
            case SCHEMA_SYNC_FAILS -> ends.retainAll(EnumSet.of(End.COM_QUIT, End.RST));
        }
        return ends;
    }

    /** Whether the session holds the server connection itself (so the server has a thread to kill). */
    boolean holdsConnection() {
        return hold != Hold.WAITING && hold != Hold.SCHEMA_SYNC_FAILS && hold != Hold.SYNC_IN_FLIGHT;
    }

    @Override
    public String toString() {
        return hold.name().toLowerCase() + " ended by " + end.name().toLowerCase();
    }
}
