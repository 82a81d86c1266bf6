package io.mysqlmux.bench.scenario;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The tables the scenarios use, created on the server before a run (sysbench's layout for sbtest1). */
public final class SchemaSetup {
    /** sysbench's default --table-size. */
    public static final int SBTEST_ROWS = 10_000;
    public static final int STORM_COUNTERS = 100;

    private SchemaSetup() {
    }

    /** sbtest1 with {@code rows} rows (recreated). */
    public static void sbtest(Connection c, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS sbtest1");
            s.execute("CREATE TABLE sbtest1 (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL DEFAULT 0,"
                    + " c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', KEY k_1 (k)) ENGINE=InnoDB");
            insertRows(s, "sbtest1 (k, c, pad)", rows, i -> i % rows + ", '" + String.valueOf((char) ('a' + i % 26))
                    .repeat(119) + "', '" + "p".repeat(59) + "'");
        }
    }

    /** Multi-row INSERTs of 1,000 rows: portable (MySQL and MariaDB), and quick. */
    private static void insertRows(Statement s, String table, int rows, java.util.function.IntFunction<String> values)
            throws SQLException {
        for (int start = 1; start <= rows; start += 1000) {
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
            for (int i = start; i < start + 1000 && i <= rows; i++) {
                sql.append(i == start ? "(" : ",(").append(values.apply(i)).append(')');
            }
            s.execute(sql.toString());
        }
    }

    /** storm_counters: one row per counter, all at 0. */
    public static void stormCounters(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS storm_counters");
            s.execute("CREATE TABLE storm_counters (id INT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB");
            insertRows(s, "storm_counters (id, n)", STORM_COUNTERS, i -> i + ", 0");
        }
    }

    /** The sum of the storm counters: how many storm transactions committed. */
    public static long stormTotal(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COALESCE(SUM(n), 0) FROM storm_counters")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
