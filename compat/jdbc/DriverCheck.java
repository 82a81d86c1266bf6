import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.*;
import java.util.*;

/**
 * Driver-behaviour checks for compat/run.sh jdbc: one named check per run, printing a transcript
 * (results, update counts, metadata, errors as code/SQLSTATE) that must be the same directly and
 * through mysqlmux. Nothing in the transcript depends on the connection (no ids, no times).
 *
 *   java -cp DRIVER.jar:classes DriverCheck mysql|mariadb HOST PORT CHECK     (CHECK "list": all names)
 *
 * Exit 0: the check ran to its end (SQL errors are part of the transcript); 3: it stopped on an
 * exception the check did not expect (printed as "UNEXPECTED ...").
 */
public final class DriverCheck {
    private final String driver;
    private final String base;
    private final List<String> out = new ArrayList<>();

    private DriverCheck(String driver, String host, String port) {
        this.driver = driver;
        this.base = "jdbc:" + driver + "://" + host + ":" + port + "/test?user=root&password=&sslMode=DISABLED"
                + "&connectTimeout=10000&socketTimeout=30000"
                + (driver.equals("mysql") ? "&allowPublicKeyRetrieval=true&useSSL=false" : "");
    }

    interface Check { void run(DriverCheck c) throws Exception; }

    private static final Map<String, Check> CHECKS = new LinkedHashMap<>();
    static {
        CHECKS.put("basic", DriverCheck::basic);
        CHECKS.put("cursor_fetch", DriverCheck::cursorFetch);
        CHECKS.put("cursor_fetch_interleaved", DriverCheck::cursorFetchInterleaved);
        CHECKS.put("cursor_fetch_in_transaction", DriverCheck::cursorFetchInTransaction);
        CHECKS.put("streaming_result", DriverCheck::streaming);
        CHECKS.put("server_prepared", DriverCheck::serverPrepared);
        CHECKS.put("server_prepared_types", DriverCheck::serverPreparedTypes);
        CHECKS.put("client_prepared", DriverCheck::clientPrepared);
        CHECKS.put("batch_rewrite", DriverCheck::batchRewrite);
        CHECKS.put("batch_server_prepared", DriverCheck::batchServerPrepared);
        CHECKS.put("generated_keys", DriverCheck::generatedKeys);
        CHECKS.put("multi_results", DriverCheck::multiResults);
        CHECKS.put("callable_out_params", DriverCheck::callable);
        CHECKS.put("metadata", DriverCheck::metadata);
        CHECKS.put("transactions", DriverCheck::transactions);
        CHECKS.put("session_state", DriverCheck::sessionState);
        CHECKS.put("warnings", DriverCheck::warnings);
        CHECKS.put("errors", DriverCheck::errors);
        CHECKS.put("query_timeout", DriverCheck::queryTimeout);
        CHECKS.put("large_values", DriverCheck::largeValues);
        CHECKS.put("local_infile", DriverCheck::localInfile);
        CHECKS.put("unicode", DriverCheck::unicode);
        CHECKS.put("two_connections", DriverCheck::twoConnections);
        CHECKS.put("reset_and_reconnect", DriverCheck::resetAndReconnect);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[3].equals("list")) {
            CHECKS.keySet().forEach(System.out::println);
            return;
        }
        if (args.length != 4 || !CHECKS.containsKey(args[3])) {
            System.err.println("usage: DriverCheck mysql|mariadb HOST PORT CHECK (list: all names)");
            System.exit(2);
        }
        DriverCheck c = new DriverCheck(args[0], args[1], args[2]);
        int rc = 0;
        try {
            CHECKS.get(args[3]).run(c);
        } catch (Throwable e) {
            c.line("UNEXPECTED " + describe(e));
            rc = 3;
        }
        java.io.PrintStream utf8 = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        c.out.forEach(utf8::println);
        utf8.flush();
        System.exit(rc);
    }

    // ------------------------------------------------------------------ helpers
    private void line(String s) { out.add(s); }

    private Connection connect(String options) throws SQLException {
        return DriverManager.getConnection(base + (options.isEmpty() ? "" : "&" + options));
    }

    private static String describe(Throwable e) {
        if (e instanceof SQLException s) {
            return "SQLException " + s.getErrorCode() + "/" + s.getSQLState() + ": " + firstLine(s.getMessage());
        }
        return e.getClass().getName() + ": " + firstLine(String.valueOf(e.getMessage()));
    }

    /** The message's first line, without MariaDB Connector/J's "(conn=N) " (the server's connection id). */
    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).replaceAll("\\(conn=\\d+\\) ", "");
    }

    /** Runs one statement, printing its results or its error; never throws SQLException. */
    private void exec(Statement st, String sql) {
        try {
            boolean rs = st.execute(sql);
            printResults(st, rs, sql);
        } catch (SQLException e) {
            line(sql + " -> ERROR " + e.getErrorCode() + "/" + e.getSQLState() + ": " + firstLine(e.getMessage()));
        }
    }

    private void printResults(Statement st, boolean rs, String label) throws SQLException {
        int n = 0;
        while (true) {
            if (rs) {
                try (ResultSet r = st.getResultSet()) {
                    line(label + " -> result " + (n++) + ": " + rows(r));
                }
            } else {
                long count = st.getUpdateCount();
                if (count == -1) {
                    break;
                }
                line(label + " -> update count " + count);
                n++;
            }
            rs = st.getMoreResults();
        }
    }

    private static String rows(ResultSet r) throws SQLException {
        ResultSetMetaData md = r.getMetaData();
        StringBuilder b = new StringBuilder("[");
        for (int i = 1; i <= md.getColumnCount(); i++) {
            b.append(i > 1 ? "," : "").append(md.getColumnLabel(i));
        }
        b.append("]");
        while (r.next()) {
            b.append(" (");
            for (int i = 1; i <= md.getColumnCount(); i++) {
                b.append(i > 1 ? "," : "").append(r.getString(i));
            }
            b.append(")");
        }
        return b.toString();
    }

    private void query(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            exec(st, sql);
        } catch (SQLException e) {
            line(sql + " -> ERROR " + e.getErrorCode() + "/" + e.getSQLState() + ": " + firstLine(e.getMessage()));
        }
    }

    private void setup(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private void table10(Connection c, String name) throws SQLException {
        setup(c, "DROP TABLE IF EXISTS " + name, "CREATE TABLE " + name + " (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB");
        StringBuilder b = new StringBuilder("INSERT INTO " + name + " VALUES ");
        for (int i = 1; i <= 10; i++) {
            b.append(i > 1 ? "," : "").append("(").append(i).append(",'row").append(i).append("')");
        }
        setup(c, b.toString());
    }

    private String cursorOptions() {
        return driver.equals("mysql") ? "useCursorFetch=true&useServerPrepStmts=true&defaultFetchSize=3"
                : "useServerPrepStmts=true&defaultFetchSize=3";
    }

    // ------------------------------------------------------------------ checks
    static void basic(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("")) {
            c.query(cn, "SELECT 1 AS one, 'x' AS s, NULL AS n, 1.5 AS d");
            c.query(cn, "SELECT DATABASE(), CURRENT_USER(), @@autocommit, @@character_set_client");
            c.line("isValid " + cn.isValid(5));
            c.line("autocommit " + cn.getAutoCommit() + ", isolation " + cn.getTransactionIsolation() + ", catalog " + cn.getCatalog());
        }
    }

    /** Connector/J useCursorFetch: COM_STMT_EXECUTE with a cursor, then COM_STMT_FETCH of 3 rows at a time. */
    static void cursorFetch(DriverCheck c) throws Exception {
        try (Connection cn = c.connect(c.cursorOptions())) {
            c.table10(cn, "cf");
            try (PreparedStatement ps = cn.prepareStatement("SELECT id, v FROM cf WHERE id > ? ORDER BY id")) {
                ps.setFetchSize(3);
                for (int run = 0; run < 2; run++) {
                    ps.setInt(1, run * 2);
                    try (ResultSet r = ps.executeQuery()) {
                        c.line("run " + run + ": " + rows(r));
                    }
                }
            }
            try (Statement st = cn.createStatement()) {
                st.setFetchSize(4);
                try (ResultSet r = st.executeQuery("SELECT id FROM cf ORDER BY id DESC")) {
                    c.line("statement fetch: " + rows(r));
                }
            }
        }
    }

    /** Two open cursors on one connection, fetched in turns, with a plain query in between. */
    static void cursorFetchInterleaved(DriverCheck c) throws Exception {
        try (Connection cn = c.connect(c.cursorOptions())) {
            c.table10(cn, "cfi");
            try (PreparedStatement a = cn.prepareStatement("SELECT id FROM cfi ORDER BY id");
                 PreparedStatement b = cn.prepareStatement("SELECT v FROM cfi ORDER BY id DESC")) {
                a.setFetchSize(2);
                b.setFetchSize(2);
                try (ResultSet ra = a.executeQuery(); ResultSet rb = b.executeQuery()) {
                    StringBuilder s = new StringBuilder();
                    for (int i = 0; i < 6; i++) {
                        if (ra.next()) s.append(" a=").append(ra.getString(1));
                        if (rb.next()) s.append(" b=").append(rb.getString(1));
                        if (i == 2) c.query(cn, "SELECT COUNT(*) FROM cfi");
                    }
                    c.line("interleaved:" + s);
                }
            }
        }
    }

    static void cursorFetchInTransaction(DriverCheck c) throws Exception {
        try (Connection cn = c.connect(c.cursorOptions())) {
            c.table10(cn, "cft");
            cn.setAutoCommit(false);
            try (PreparedStatement ps = cn.prepareStatement("SELECT id FROM cft ORDER BY id")) {
                ps.setFetchSize(4);
                try (ResultSet r = ps.executeQuery()) {
                    c.line("in trx: " + rows(r));
                }
            }
            c.query(cn, "UPDATE cft SET v = 'x' WHERE id = 1");
            cn.rollback();
            cn.setAutoCommit(true);
            c.query(cn, "SELECT v FROM cft WHERE id = 1");
        }
    }

    /** Connector/J streaming (fetch size MIN_VALUE) / MariaDB fetch size: rows read as they come. */
    static void streaming(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("")) {
            c.table10(cn, "st");
            try (Statement st = cn.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                st.setFetchSize(c.driver.equals("mysql") ? Integer.MIN_VALUE : 2);
                try (ResultSet r = st.executeQuery("SELECT id, v FROM st ORDER BY id")) {
                    c.line("streamed: " + rows(r));
                }
            }
            c.query(cn, "SELECT 'after streaming'");
        }
    }

    static void serverPrepared(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("useServerPrepStmts=true&cachePrepStmts=true")) {
            c.table10(cn, "sp");
            for (int round = 0; round < 2; round++) {
                try (PreparedStatement ps = cn.prepareStatement("SELECT v FROM sp WHERE id = ? OR id = ? ORDER BY id")) {
                    for (int i = 1; i <= 3; i++) {
                        ps.setInt(1, i);
                        ps.setInt(2, i + 5);
                        try (ResultSet r = ps.executeQuery()) {
                            c.line("round " + round + " exec " + i + ": " + rows(r));
                        }
                    }
                }
            }
            try (PreparedStatement ps = cn.prepareStatement("UPDATE sp SET v = ? WHERE id = ?")) {
                ps.setString(1, "changed");
                ps.setInt(2, 3);
                c.line("update: " + ps.executeUpdate());
            }
            try (PreparedStatement ps = cn.prepareStatement("SELECT ? + 1, ?")) {
                ps.setLong(1, 41);
                ps.setNull(2, Types.VARCHAR);
                try (ResultSet r = ps.executeQuery()) {
                    c.line("params: " + rows(r));
                }
                ParameterMetaData pm = ps.getParameterMetaData();
                c.line("parameter count " + pm.getParameterCount());
            }
            try {
                cn.prepareStatement("SELEKT 1").executeQuery();
            } catch (SQLException e) {
                c.line("bad prepare -> " + e.getErrorCode() + "/" + e.getSQLState());
            }
        }
    }

    static void serverPreparedTypes(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("useServerPrepStmts=true")) {
            c.setup(cn, "DROP TABLE IF EXISTS spt", "CREATE TABLE spt (i INT, b BIGINT UNSIGNED, d DECIMAL(20,6), f DOUBLE,"
                    + " dt DATE, t TIME(3), ts DATETIME(6), s VARCHAR(50), bl BLOB, bi BIT(8), e ENUM('a','b'), j JSON)");
            try (PreparedStatement ps = cn.prepareStatement("INSERT INTO spt VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setInt(1, -7);
                ps.setBigDecimal(2, new BigDecimal("18446744073709551615"));
                ps.setBigDecimal(3, new BigDecimal("12345678901234.123456"));
                ps.setDouble(4, 3.25);
                ps.setDate(5, java.sql.Date.valueOf("2024-02-29"));
                ps.setString(6, "12:34:56.789");
                ps.setString(7, "2024-02-29 23:59:59.123456");
                ps.setString(8, "héllo");
                ps.setBytes(9, new byte[] {0, 1, 2, (byte) 255});
                ps.setInt(10, 5);
                ps.setString(11, "b");
                ps.setString(12, "{\"k\": [1, 2]}");
                c.line("insert: " + ps.executeUpdate());
                for (int i = 1; i <= 12; i++) {
                    ps.setNull(i, Types.NULL);
                }
                c.line("insert nulls: " + ps.executeUpdate());
            }
            try (PreparedStatement ps = cn.prepareStatement("SELECT i, b, d, f, dt, t, ts, s, HEX(bl), bi + 0, e, j FROM spt ORDER BY i IS NULL")) {
                try (ResultSet r = ps.executeQuery()) {
                    c.line("binary rows: " + rows(r));
                }
            }
        }
    }

    static void clientPrepared(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("useServerPrepStmts=false")) {
            c.table10(cn, "cp");
            try (PreparedStatement ps = cn.prepareStatement("SELECT v FROM cp WHERE id IN (?, ?) ORDER BY id")) {
                ps.setInt(1, 2);
                ps.setString(2, "4");
                try (ResultSet r = ps.executeQuery()) {
                    c.line("client-side: " + rows(r));
                }
            }
        }
    }

    static void batchRewrite(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("rewriteBatchedStatements=true")) {
            c.setup(cn, "DROP TABLE IF EXISTS br", "CREATE TABLE br (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
            try (PreparedStatement ps = cn.prepareStatement("INSERT INTO br (v) VALUES (?)")) {
                for (int i = 0; i < 50; i++) {
                    ps.setInt(1, i);
                    ps.addBatch();
                }
                c.line("batch: " + Arrays.stream(ps.executeBatch()).sum() + " rows (sum of counts)");
            }
            c.query(cn, "SELECT COUNT(*), SUM(v) FROM br");
        }
    }

    /** MariaDB: COM_STMT_BULK_EXECUTE (useBulkStmts); Connector/J: server-prepared batch. */
    static void batchServerPrepared(DriverCheck c) throws Exception {
        try (Connection cn = c.connect(c.driver.equals("mariadb") ? "useBulkStmts=true&useServerPrepStmts=true"
                : "useServerPrepStmts=true")) {
            c.setup(cn, "DROP TABLE IF EXISTS bs", "CREATE TABLE bs (id INT PRIMARY KEY, v VARCHAR(10))");
            try (PreparedStatement ps = cn.prepareStatement("INSERT INTO bs VALUES (?, ?)")) {
                for (int i = 0; i < 20; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "v" + i);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                c.line("bulk: " + counts.length + " counts");
                ps.setInt(1, 5);
                ps.setString(2, "dup");
                ps.addBatch();
                try {
                    ps.executeBatch();
                } catch (SQLException e) {
                    c.line("duplicate in batch -> " + e.getErrorCode() + "/" + e.getSQLState());
                }
            }
            c.query(cn, "SELECT COUNT(*) FROM bs");
        }
    }

    static void generatedKeys(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("")) {
            c.setup(cn, "DROP TABLE IF EXISTS gk", "CREATE TABLE gk (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
            try (Statement st = cn.createStatement()) {
                st.executeUpdate("INSERT INTO gk (v) VALUES (1), (2), (3)", Statement.RETURN_GENERATED_KEYS);
                try (ResultSet r = st.getGeneratedKeys()) {
                    c.line("keys: " + rows(r).replaceAll("\\[[^]]*\\]", "[]"));
                }
            }
            c.query(cn, "SELECT LAST_INSERT_ID()");
            c.query(cn, "INSERT INTO gk (v) VALUES (4)");
            c.query(cn, "SELECT LAST_INSERT_ID(), @@identity");
        }
    }

    static void multiResults(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("allowMultiQueries=true")) {
            c.table10(cn, "mr");
            c.query(cn, "SELECT 1; SELECT id FROM mr WHERE id < 3; UPDATE mr SET v = 'u' WHERE id < 4; SELECT 'end'");
            c.query(cn, "SELECT 1; SELEKT 2; SELECT 3");
            c.setup(cn, "DROP PROCEDURE IF EXISTS two_results",
                    "CREATE PROCEDURE two_results() BEGIN SELECT 'first'; SELECT id FROM mr WHERE id = 10; END");
            c.query(cn, "CALL two_results()");
            c.query(cn, "SELECT 'after call'");
        }
    }

    static void callable(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("")) {
            c.setup(cn, "DROP PROCEDURE IF EXISTS outp",
                    "CREATE PROCEDURE outp(IN a INT, OUT b INT, INOUT s VARCHAR(20)) BEGIN SET b = a * 2; SET s = CONCAT(s, '!'); SELECT a AS inside; END");
            try (CallableStatement cs = cn.prepareCall("{call outp(?, ?, ?)}")) {
                cs.setInt(1, 21);
                cs.registerOutParameter(2, Types.INTEGER);
                cs.setString(3, "hi");
                cs.registerOutParameter(3, Types.VARCHAR);
                boolean rs = cs.execute();
                c.printResults(cs, rs, "call");
                c.line("out b=" + cs.getInt(2) + " s=" + cs.getString(3));
            }
            c.query(cn, "SELECT 'after callable'");
        }
    }

    static void metadata(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("")) {
            c.setup(cn, "DROP TABLE IF EXISTS md", "CREATE TABLE md (id INT PRIMARY KEY, name VARCHAR(30) NOT NULL DEFAULT 'n', KEY k (name))");
            DatabaseMetaData md = cn.getMetaData();
            c.line("product " + md.getDatabaseProductName() + " " + md.getDatabaseMajorVersion());
            try (ResultSet r = md.getColumns(null, null, "md", "%")) {
                StringBuilder b = new StringBuilder();
                while (r.next()) {
                    b.append(" ").append(r.getString("COLUMN_NAME")).append(":").append(r.getString("TYPE_NAME"))
                            .append(":").append(r.getInt("COLUMN_SIZE")).append(":").append(r.getString("IS_NULLABLE"));
                }
                c.line("columns" + b);
            }
            try (ResultSet r = md.getPrimaryKeys(null, null, "md")) {
                StringBuilder b = new StringBuilder();
                while (r.next()) b.append(" ").append(r.getString("COLUMN_NAME"));
                c.line("primary key" + b);
            }
            try (ResultSet r = md.getIndexInfo(null, null, "md", false, false)) {
                StringBuilder b = new StringBuilder();
                while (r.next()) b.append(" ").append(r.getString("INDEX_NAME")).append(".").append(r.getString("COLUMN_NAME"));
                c.line("indexes" + b);
            }
            try (Statement st = cn.createStatement(); ResultSet r = st.executeQuery("SELECT id, name, id + 1 AS x FROM md")) {
                ResultSetMetaData m = r.getMetaData();
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    b.append(" ").append(m.getColumnName(i)).append("/").append(m.getColumnLabel(i)).append("/")
                            .append(m.getTableName(i)).append("/").append(m.getColumnTypeName(i)).append("/")
                            .append(m.isNullable(i)).append("/").append(m.isAutoIncrement(i));
                }
                c.line("result metadata" + b);
            }
            try (PreparedStatement ps = cn.prepareStatement("SELECT name FROM md WHERE id = ?")) {
                ResultSetMetaData m = ps.getMetaData();
                c.line("prepared metadata " + (m == null ? "null" : m.getColumnCount() + " " + m.getColumnName(1)));
            }
        }
    }

    static void transactions(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("")) {
            c.table10(cn, "tx");
            cn.setAutoCommit(false);
            c.query(cn, "UPDATE tx SET v = 'rolled back' WHERE id = 1");
            cn.rollback();
            c.query(cn, "UPDATE tx SET v = 'committed' WHERE id = 2");
            cn.commit();
            Savepoint sp = null;
            c.query(cn, "UPDATE tx SET v = 'kept' WHERE id = 3");
            sp = cn.setSavepoint("s1");
            c.query(cn, "UPDATE tx SET v = 'undone' WHERE id = 4");
            cn.rollback(sp);
            cn.commit();
            cn.setAutoCommit(true);
            c.query(cn, "SELECT id, v FROM tx WHERE id <= 4 ORDER BY id");
            cn.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            c.query(cn, "SELECT @@tx_isolation");
            cn.setReadOnly(true);
            c.line("readOnly " + cn.isReadOnly());
            cn.setReadOnly(false);
            c.query(cn, "START TRANSACTION READ ONLY");
            c.query(cn, "UPDATE tx SET v = 'no' WHERE id = 5");
            c.query(cn, "COMMIT");
        }
    }

    static void sessionState(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("sessionVariables=sql_mode='ANSI_QUOTES',time_zone='-03:00'")) {
            c.query(cn, "SELECT @@sql_mode, @@time_zone");
            c.query(cn, "SET @uv = 42");
            c.query(cn, "SELECT @uv");
            c.query(cn, "SET NAMES utf8mb4 COLLATE utf8mb4_bin");
            c.query(cn, "SELECT @@collation_connection, @uv");
            c.query(cn, "CREATE TEMPORARY TABLE tmp1 (a INT)");
            c.query(cn, "INSERT INTO tmp1 VALUES (1), (2)");
            c.query(cn, "SELECT COUNT(*) FROM tmp1");
            c.query(cn, "USE mysql");
            c.query(cn, "SELECT DATABASE()");
            cn.setCatalog("test");
            c.query(cn, "SELECT DATABASE(), @uv");
            c.query(cn, "SELECT GET_LOCK('compat_lock', 1), IS_USED_LOCK('compat_lock') IS NOT NULL");
            c.query(cn, "SELECT RELEASE_LOCK('compat_lock')");
        }
    }

    static void warnings(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("")) {
            c.setup(cn, "DROP TABLE IF EXISTS wn", "CREATE TABLE wn (a TINYINT, s VARCHAR(3))");
            try (Statement st = cn.createStatement()) {
                st.execute("SET SESSION sql_mode = ''");
                st.execute("INSERT INTO wn VALUES (1000, 'abcdef')");
                for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                    c.line("warning " + w.getErrorCode() + "/" + w.getSQLState() + ": " + w.getMessage());
                }
            }
            c.query(cn, "SHOW WARNINGS");
            c.query(cn, "SELECT @@warning_count");
            c.query(cn, "SELECT 1/0");
            c.query(cn, "SHOW WARNINGS");
            c.query(cn, "SHOW COUNT(*) WARNINGS");
        }
    }

    static void errors(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("")) {
            c.setup(cn, "DROP TABLE IF EXISTS er", "CREATE TABLE er (id INT PRIMARY KEY)");
            c.query(cn, "SELEKT 1");
            c.query(cn, "SELECT * FROM no_such_table");
            c.query(cn, "INSERT INTO er VALUES (1)");
            c.query(cn, "INSERT INTO er VALUES (1)");
            c.query(cn, "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'custom', MYSQL_ERRNO = 1644");
            c.query(cn, "SHOW ERRORS");
            c.query(cn, "SELECT 'still usable'");
        }
    }

    /** setQueryTimeout: Connector/J and MariaDB send KILL QUERY <connection id> on another connection. */
    static void queryTimeout(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("")) {
            try (Statement st = cn.createStatement()) {
                st.setQueryTimeout(1);
                long t0 = System.nanoTime();
                try {
                    st.executeQuery("SELECT SLEEP(5)").close();
                    c.line("sleep finished without timeout");
                } catch (SQLException e) {
                    c.line("timeout -> " + e.getClass().getSimpleName() + " " + e.getErrorCode() + "/" + e.getSQLState());
                }
                c.line("returned within 4 s: " + ((System.nanoTime() - t0) / 1_000_000_000L < 4));
            }
            c.query(cn, "SELECT 'usable after timeout'");
        }
    }

    static void largeValues(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("useServerPrepStmts=true")) {
            c.setup(cn, "DROP TABLE IF EXISTS lv", "CREATE TABLE lv (b LONGBLOB)");
            byte[] big = new byte[3 * 1024 * 1024];
            for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
            try (PreparedStatement ps = cn.prepareStatement("INSERT INTO lv VALUES (?)")) {
                ps.setBytes(1, big);
                c.line("insert 3 MiB: " + ps.executeUpdate());
                ps.setBinaryStream(1, new java.io.ByteArrayInputStream(big), big.length);
                c.line("insert 3 MiB as stream (send long data): " + ps.executeUpdate());
            }
            c.query(cn, "SELECT LENGTH(b), MD5(b) FROM lv");
            try (Statement st = cn.createStatement(); ResultSet r = st.executeQuery("SELECT b FROM lv LIMIT 1")) {
                r.next();
                c.line("read back equal: " + Arrays.equals(big, r.getBytes(1)));
            }
            c.query(cn, "SELECT LENGTH(REPEAT('x', 17000000))");
        }
    }

    static void localInfile(DriverCheck c) throws Exception {
        Path f = Files.createTempFile("compat-infile", ".txt");
        Files.write(f, "1\tone\n2\ttwo\n3\tthree\n".getBytes(StandardCharsets.UTF_8));
        try (Connection cn = c.connect("allowLoadLocalInfile=true&allowLocalInfile=true")) {
            c.setup(cn, "DROP TABLE IF EXISTS li", "CREATE TABLE li (id INT, v VARCHAR(10))");
            try (Statement st = cn.createStatement()) {
                c.line("LOAD DATA LOCAL INFILE -> update count " + st.executeUpdate("LOAD DATA LOCAL INFILE '" + f + "' INTO TABLE li"));
            } catch (SQLException e) {
                c.line("LOAD DATA LOCAL INFILE -> ERROR " + e.getErrorCode() + "/" + e.getSQLState() + ": " + firstLine(e.getMessage()));
            }
            c.query(cn, "SELECT * FROM li ORDER BY id");
        } finally {
            Files.deleteIfExists(f);
        }
    }

    static void unicode(DriverCheck c) throws Exception {
        try (Connection cn = c.connect("characterEncoding=UTF-8")) {
            c.setup(cn, "DROP TABLE IF EXISTS uc", "CREATE TABLE uc (s VARCHAR(20)) CHARACTER SET utf8mb4");
            try (PreparedStatement ps = cn.prepareStatement("INSERT INTO uc VALUES (?)")) {
                ps.setString(1, "日本語 😀 ü");
                ps.executeUpdate();
            }
            c.query(cn, "SELECT s, HEX(s), CHAR_LENGTH(s) FROM uc");
            c.query(cn, "SELECT @@character_set_client, @@character_set_results, @@collation_connection");
        }
    }

    /** Two connections of one client program: each sees only its own session. */
    static void twoConnections(DriverCheck c) throws Exception {
        try (Connection a = c.connect(""); Connection b = c.connect("")) {
            c.query(a, "SET @who = 'a'");
            c.query(b, "SET @who = 'b'");
            c.query(a, "SELECT @who");
            c.query(b, "SELECT @who");
            a.setAutoCommit(false);
            c.table10(b, "tc");
            c.query(a, "UPDATE tc SET v = 'a-uncommitted' WHERE id = 1");
            c.query(b, "SELECT v FROM tc WHERE id = 1");
            a.rollback();
            c.query(a, "SELECT CONNECTION_ID() = CONNECTION_ID()");
        }
    }

    static void resetAndReconnect(DriverCheck c) throws Exception {
        try (Connection cn = c.connect(c.driver.equals("mysql") ? "paranoid=false" : "")) {
            c.query(cn, "SET @x = 1");
            if (c.driver.equals("mysql")) {
                cn.unwrap(com_mysql_JdbcConnection()).getClass(); // loaded only to check the class exists
                java.lang.reflect.Method m = cn.unwrap(com_mysql_JdbcConnection()).getClass().getMethod("resetServerState");
                m.invoke(cn.unwrap(com_mysql_JdbcConnection()));
            } else {
                java.lang.reflect.Method m = cn.unwrap(Class.forName("org.mariadb.jdbc.Connection")).getClass().getMethod("reset");
                m.invoke(cn.unwrap(Class.forName("org.mariadb.jdbc.Connection")));
            }
            c.query(cn, "SELECT @x");
            c.query(cn, "SELECT 'after reset'");
        }
    }

    private static Class<?> com_mysql_JdbcConnection() throws ClassNotFoundException {
        return Class.forName("com.mysql.cj.jdbc.JdbcConnection");
    }
}
