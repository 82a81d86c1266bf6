package io.mysqlmux.it;

import io.mysqlmux.proxy.ProxyServer;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Results are relayed as they arrive, never gathered: a 200 MB result read slowly keeps the proxy's
 * Netty direct memory under 32 MB, other clients keep being served meanwhile, and rows and
 * commands of 16 MiB and more cross in their split form.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class StreamingIT {
    private static final long LIMIT_BYTES = 32L * 1024 * 1024;
    private static ProxyFixture proxy;

    @BeforeAll
    static void startProxy(EmbeddedMariaDb db) {
        proxy = ProxyFixture.start(db, Map.of("pool.max_size", 2));
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @Test
    void twoHundredMegabytesStreamToASlowReaderInBoundedMemory() throws Exception {
        int rows = 200_000;
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(ProxyServer.directMemoryBytes(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long bytes = 0;
        int seen = 0;
        try (Connection reader = proxy.connect();
             Statement s = reader.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(Integer.MIN_VALUE);
            sampler.start();
            try (ResultSet rs = s.executeQuery("SELECT seq, REPEAT(CHAR(65 + seq % 26), 1000) FROM seq_1_to_" + rows)) {
                while (rs.next()) {
                    seen++;
                    String payload = rs.getString(2);
                    bytes += payload.length();
                    assertEquals(seen, rs.getInt(1));
                    assertEquals((char) ('A' + seen % 26), payload.charAt(999));
                    if (seen % 2000 == 0) {
                        Thread.sleep(15);
                    }
                    if (seen == rows / 2) {
                        assertOtherClientsAreServed();
                    }
                }
            }
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        System.out.printf("StreamingIT: %d rows, %d bytes relayed, peak Netty direct memory %.1f MiB%n",
                seen, bytes, peak.get() / 1048576.0);
        assertEquals(rows, seen);
        assertTrue(bytes >= 200_000_000L, "streamed " + bytes + " bytes");
        assertTrue(peak.get() > 0, "Netty's direct memory counter works in this JVM");
        assertTrue(peak.get() < LIMIT_BYTES, "proxy direct memory peaked at " + peak.get() + " bytes");
    }

    private static void assertOtherClientsAreServed() throws Exception {
        long started = System.nanoTime();
        try (Connection other = proxy.connect(); Statement s = other.createStatement();
             ResultSet rs = s.executeQuery("SELECT 'served while the stream is paused'")) {
            assertTrue(rs.next());
        }
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "another client waited behind a slow reader");
    }

    @Test
    void rowsAndCommandsOf16MiBAndMoreCrossInSplitForm() throws Exception {
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            for (int size : new int[] {0xFFFFFF - 5, 0xFFFFFF, 20 * 1024 * 1024}) {
                try (ResultSet rs = s.executeQuery("SELECT REPEAT('x', " + size + ")")) {
                    rs.next();
                    assertEquals(size, rs.getString(1).length());
                }
            }
            s.execute("CREATE TEMPORARY TABLE big (v LONGTEXT)");
            char[] text = new char[17 * 1024 * 1024];
            Arrays.fill(text, 'y');
            text[text.length - 1] = 'z';
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO big VALUES (?)")) {
                insert.setString(1, new String(text));
                assertEquals(1, insert.executeUpdate());
            }
            try (ResultSet rs = s.executeQuery("SELECT LENGTH(v), RIGHT(v, 1) FROM big")) {
                rs.next();
                assertEquals(text.length, rs.getInt(1));
                assertEquals("z", rs.getString(2));
            }
        }
    }
}
