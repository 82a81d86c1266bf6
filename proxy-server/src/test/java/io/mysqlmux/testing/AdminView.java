package io.mysqlmux.testing;

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
import java.util.Optional;

/**
 * What an operator sees on the admin port, as rows of column name to text: {@code SHOW POOLS},
 * {@code SHOW CLIENTS}, {@code SHOW BACKENDS}, and the statements that steer the proxy. Tests assert
 * through this instead of the proxy's classes, so they hold whatever the pool looks like inside.
 */
public final class AdminView implements AutoCloseable {
    /** The wire shape of the pool that mysql-connector-j and MariaDB Connector/J clients share. */
    public static final String FOUND_ROWS = "found_rows";

    private final Connection admin;

    private AdminView(Connection admin) {
        this.admin = admin;
    }

    public static AdminView of(ProxyFixture proxy) throws SQLException {
        return new AdminView(proxy.admin());
    }

    /** Logs in to an admin port at {@code port} (a proxy in another process). */
    public static AdminView at(int port, String user, String password) throws SQLException {
        return new AdminView(DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port
                + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=20000",
                user, password));
    }

    public List<Map<String, String>> rows(String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(sql)) {
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

    /** Runs an admin statement that returns no rows ({@code SET ...}, {@code KILL ...}); returns the affected count. */
    public int execute(String sql) throws SQLException {
        try (Statement s = admin.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    /** The {@code SHOW POOLS} row of {@code user}'s found_rows pool, if the proxy has opened it. */
    public Optional<Map<String, String>> pool(String user) throws SQLException {
        return rows("SHOW POOLS").stream()
                .filter(r -> user.equals(r.get("user")) && FOUND_ROWS.equals(r.get("wire_shape"))).findFirst();
    }

    /** A number column of {@link #pool}; 0 when the pool does not exist yet. */
    public long poolValue(String user, String column) throws SQLException {
        return pool(user).map(r -> Long.parseLong(r.get(column))).orElse(0L);
    }

    public List<Map<String, String>> clients() throws SQLException {
        return rows("SHOW CLIENTS");
    }

    public Optional<Map<String, String>> client(long id) throws SQLException {
        String wanted = Long.toString(id);
        return clients().stream().filter(r -> wanted.equals(r.get("id"))).findFirst();
    }

    public List<Map<String, String>> backends() throws SQLException {
        return rows("SHOW BACKENDS");
    }

    /** The server's thread id of the backend leased to client {@code clientId}, if it holds one. */
    public Optional<Long> serverThreadOf(long clientId) throws SQLException {
        String wanted = Long.toString(clientId);
        return backends().stream().filter(b -> wanted.equals(b.get("leased_to")))
                .map(b -> Long.parseLong(b.get("server_thread_id"))).findFirst();
    }

    /** SHOW POOLS, SHOW CLIENTS and SHOW BACKENDS as text, for assertion messages. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (String sql : List.of("SHOW POOLS", "SHOW CLIENTS", "SHOW BACKENDS")) {
            text.append("\n  ").append(sql).append(':');
            try {
                for (Map<String, String> row : rows(sql)) {
                    text.append("\n    ").append(row);
                }
            } catch (SQLException e) {
                text.append(" failed: ").append(e.getMessage());
            }
        }
        return text.toString();
    }

    @Override
    public void close() throws SQLException {
        admin.close();
    }
}
