package io.mysqlmux.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's own view of one user's connections, from a direct root connection to the embedded
 * MariaDB: its processlist rows and open InnoDB transactions. This is where a leaked server
 * connection shows up whatever the proxy believes.
 */
public final class ServerView implements AutoCloseable {

    /** One processlist row; {@code time} in seconds in the current command. */
    public record Process(long id, String command, long time, String state, String info) {
        @Override
        public String toString() {
            return "#" + id + " " + command + " " + time + "s" + (state == null || state.isEmpty() ? "" : " " + state)
                    + (info == null ? "" : " [" + info + "]");
        }
    }

    private final Connection root;
    private final String user;

    private ServerView(Connection root, String user) {
        this.root = root;
        this.user = user;
    }

    public static ServerView of(EmbeddedMariaDb db, String user) throws SQLException {
        return new ServerView(db.rootConnection(), user);
    }

    public List<Process> connections() throws SQLException {
        List<Process> list = new ArrayList<>();
        try (PreparedStatement s = root.prepareStatement("SELECT ID, COMMAND, TIME, STATE, INFO"
                + " FROM information_schema.PROCESSLIST WHERE USER = ? ORDER BY ID")) {
            s.setString(1, user);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    list.add(new Process(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
        }
        return list;
    }

    /** InnoDB transactions open on the user's connections, as "thread 12: RUNNING since ...". */
    public List<String> openTransactions() throws SQLException {
        List<String> list = new ArrayList<>();
        try (PreparedStatement s = root.prepareStatement("SELECT t.trx_mysql_thread_id, t.trx_state, t.trx_started,"
                + " t.trx_rows_locked FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p"
                + " ON p.ID = t.trx_mysql_thread_id WHERE p.USER = ?")) {
            s.setString(1, user);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    list.add("thread " + rs.getLong(1) + ": " + rs.getString(2) + " since " + rs.getString(3)
                            + ", rows locked " + rs.getLong(4));
                }
            }
        }
        return list;
    }

    /** Ends a server connection from the server's side, as a DBA or the server's wait_timeout would. */
    public void kill(long threadId) throws SQLException {
        try (Statement s = root.createStatement()) {
            s.execute("KILL " + threadId);
        }
    }

    /** The root connection, for checks that need their own statements (lock waits, rows). */
    public Connection root() {
        return root;
    }

    public String describe() {
        try {
            return "server: " + user + " connections " + connections() + ", open transactions " + openTransactions();
        } catch (SQLException e) {
            return "server view failed: " + e.getMessage();
        }
    }

    @Override
    public void close() throws SQLException {
        root.close();
    }
}
