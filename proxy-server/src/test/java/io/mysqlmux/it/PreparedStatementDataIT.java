package io.mysqlmux.it;

import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.mysqlmux.testing.Sql.exec;
import static io.mysqlmux.testing.Sql.one;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What goes through prepared statements arrives exactly: batches of 10,000, a 20 MB BLOB sent with
 * COM_STMT_SEND_LONG_DATA, every common type and NULL, and 100,000 rows read through a cursor while
 * other sessions share the same small pool.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class PreparedStatementDataIT {
    private static ProxyFixture proxy;

    @BeforeAll
    static void setUp(EmbeddedMariaDb db) throws SQLException {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE batch_rows (id INT PRIMARY KEY, label VARCHAR(20)) ENGINE=InnoDB");
            s.execute("CREATE OR REPLACE TABLE blobs (id INT PRIMARY KEY, data LONGBLOB) ENGINE=InnoDB");
            s.execute("CREATE OR REPLACE TABLE typed (id INT PRIMARY KEY, t TINYINT, si SMALLINT, i INT, bi BIGINT,"
                    + " ubi BIGINT UNSIGNED, dec1 DECIMAL(20,6), dbl DOUBLE, flt FLOAT, d DATE, tm TIME(3),"
                    + " dt DATETIME(6), ts TIMESTAMP(3) NULL, vc VARCHAR(50), txt TEXT, vb VARBINARY(20), bl BLOB,"
                    + " bit1 BOOLEAN) DEFAULT CHARSET=utf8mb4 ENGINE=InnoDB");
            s.execute("CREATE OR REPLACE TABLE cursor_rows (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
            s.execute("INSERT INTO cursor_rows SELECT seq, seq % 97 FROM seq_1_to_100000");
        }
        proxy = ProxyFixture.start(db, Map.of("pool.max_size", 3, "pool.queue_timeout", "60s"));
    }

    @AfterAll
    static void tearDown() {
        proxy.close();
    }

    private static Connection connect(String driver, String params) throws SQLException {
        String url = driver.equals("mysql") ? proxy.mysqlUrl("app", "useServerPrepStmts=true&" + params)
                : proxy.mariadbUrl("app", "useServerPrepStmts=true&" + params);
        return DriverManager.getConnection(url, EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void batchOfTenThousandRows(String driver) throws SQLException {
        try (Connection c = connect(driver, driver.equals("mysql") ? "rewriteBatchedStatements=false" : "")) {
            exec(c, "DELETE FROM batch_rows");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO batch_rows VALUES (?, ?)")) {
                for (int i = 0; i < 10_000; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "row-" + i);
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                assertEquals(10_000, counts.length);
            }
            c.commit();
            c.setAutoCommit(true);
            assertEquals("10000", one(c, "SELECT COUNT(*) FROM batch_rows"));
            assertEquals("row-9999", one(c, "SELECT label FROM batch_rows WHERE id = 9999"));
            assertEquals(String.valueOf(9999L * 10000 / 2), one(c, "SELECT SUM(id) FROM batch_rows"));
        }
    }

    @Test
    void twentyMegabyteBlobSentAsLongData() throws Exception {
        int size = 20 * 1024 * 1024;
        MessageDigest sent = MessageDigest.getInstance("MD5");
        try (Connection c = connect("mysql", "blobSendChunkSize=1048576")) {
            exec(c, "DELETE FROM blobs");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO blobs VALUES (?, ?)")) {
                insert.setInt(1, 1);
                insert.setBinaryStream(2, new PatternStream(size, sent), size);
                assertEquals(1, insert.executeUpdate());
            }
            try (PreparedStatement read = c.prepareStatement("SELECT LENGTH(data), MD5(data) FROM blobs WHERE id = ?")) {
                read.setInt(1, 1);
                try (ResultSet rs = read.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(size, rs.getInt(1));
                    assertEquals(HexFormat.of().formatHex(sent.digest()), rs.getString(2));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void everyCommonTypeAndNullRoundTrips(String driver) throws SQLException {
        BigDecimal decimal = new BigDecimal("-12345678901234.123456");
        Date date = Date.valueOf("2026-02-28");
        Time time = Time.valueOf("13:14:15");
        Timestamp datetime = Timestamp.valueOf("2026-11-23 01:02:03.456789");
        Timestamp timestamp = Timestamp.valueOf("2026-11-23 04:05:06.789");
        byte[] bytes = {0, 1, 2, (byte) 0xFF, 0x7F, (byte) 0x80};
        try (Connection c = connect(driver, "")) {
            exec(c, "DELETE FROM typed");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO typed VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                int p = 1;
                insert.setInt(p++, 1);
                insert.setByte(p++, (byte) -128);
                insert.setShort(p++, (short) 32767);
                insert.setInt(p++, Integer.MIN_VALUE);
                insert.setLong(p++, Long.MAX_VALUE);
                insert.setBigDecimal(p++, new BigDecimal("18446744073709551615"));
                insert.setBigDecimal(p++, decimal);
                insert.setDouble(p++, Math.PI);
                insert.setFloat(p++, 1.5f);
                insert.setDate(p++, date);
                insert.setTime(p++, time);
                insert.setTimestamp(p++, datetime);
                insert.setTimestamp(p++, timestamp);
                insert.setString(p++, "h\u00e9llo \u4e16\u754c \ud83d\ude00");
                insert.setString(p++, "x".repeat(5000));
                insert.setBytes(p++, bytes);
                insert.setBytes(p++, bytes);
                insert.setBoolean(p, true);
                assertEquals(1, insert.executeUpdate());
                insert.setInt(1, 2);
                for (int i = 2; i <= 18; i++) {
                    insert.setNull(i, Types.NULL);
                }
                assertEquals(1, insert.executeUpdate(), "the same statement again, all NULL");
            }
            try (PreparedStatement read = c.prepareStatement("SELECT * FROM typed WHERE id = ?")) {
                read.setInt(1, 1);
                try (ResultSet rs = read.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(-128, rs.getByte("t"));
                    assertEquals(32767, rs.getShort("si"));
                    assertEquals(Integer.MIN_VALUE, rs.getInt("i"));
                    assertEquals(Long.MAX_VALUE, rs.getLong("bi"));
                    assertEquals(new BigDecimal("18446744073709551615"), rs.getBigDecimal("ubi"));
                    assertEquals(decimal, rs.getBigDecimal("dec1"));
                    assertEquals(Math.PI, rs.getDouble("dbl"));
                    assertEquals(1.5f, rs.getFloat("flt"));
                    assertEquals(date, rs.getDate("d"));
                    assertEquals(time.toString(), rs.getTime("tm").toString());
                    assertEquals(datetime, rs.getTimestamp("dt"));
                    assertEquals(timestamp, rs.getTimestamp("ts"));
                    assertEquals("h\u00e9llo \u4e16\u754c \ud83d\ude00", rs.getString("vc"));
                    assertEquals(5000, rs.getString("txt").length());
                    assertArrayEquals(bytes, rs.getBytes("vb"));
                    assertArrayEquals(bytes, rs.getBytes("bl"));
                    assertTrue(rs.getBoolean("bit1"));
                }
                read.setInt(1, 2);
                try (ResultSet rs = read.executeQuery()) {
                    assertTrue(rs.next());
                    for (int column = 2; column <= 18; column++) {
                        assertNull(rs.getObject(column), "column " + column);
                    }
                }
            }
        }
    }

    @Test
    void cursorFetchOverHundredThousandRowsWhileOthersShareThePool() throws Exception {
        ExecutorService others = Executors.newFixedThreadPool(4);
        try (Connection c = connect("mysql", "useCursorFetch=true&defaultFetchSize=100")) {
            List<Future<Integer>> meanwhile = new ArrayList<>();
            long sum = 0;
            int rows = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, v FROM cursor_rows WHERE id > ? ORDER BY id")) {
                ps.setFetchSize(100);
                ps.setInt(1, 0);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        sum += rs.getInt(2);
                        assertEquals(rows, rs.getInt(1));
                        if (rows % 20_000 == 0) {
                            meanwhile.add(others.submit(PreparedStatementDataIT::otherSession));
                        }
                    }
                }
            }
            assertEquals(100_000, rows);
            assertEquals(Long.parseLong(one(c, "SELECT SUM(v) FROM cursor_rows")), sum);
            for (Future<Integer> f : meanwhile) {
                assertEquals(97, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            others.shutdownNow();
        }
    }

    private static int otherSession() throws SQLException {
        try (Connection c = connect("mariadb", "");
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT v) FROM cursor_rows WHERE id <= ?")) {
            ps.setInt(1, 1000);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** A deterministic byte stream of a given size that digests what it hands out. */
    private static final class PatternStream extends InputStream {
        private final int size;
        private final MessageDigest digest;
        private int position;

        PatternStream(int size, MessageDigest digest) {
            this.size = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            int b = (position * 31 + position / 1024) & 0xFF;
            position++;
            digest.update((byte) b);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) read();
            }
            return n;
        }
    }
}
