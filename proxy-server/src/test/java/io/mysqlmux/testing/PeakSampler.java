package io.mysqlmux.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a query that returns one number on the server itself (as root, on a thread of its own),
 * every 20 ms, and keeps the highest value seen: how many prepared statements or connections the
 * server really had while a test ran.
 */
public final class PeakSampler implements AutoCloseable {
    private final AtomicLong peak = new AtomicLong(Long.MIN_VALUE);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile SQLException failure;

    private PeakSampler(EmbeddedMariaDb db, String query) {
        thread = new Thread(() -> sample(db, query), "peak-sampler");
        thread.setDaemon(true);
    }

    /** @param query e.g. {@code SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE ...} */
    public static PeakSampler start(EmbeddedMariaDb db, String query) {
        PeakSampler sampler = new PeakSampler(db, query);
        sampler.thread.start();
        return sampler;
    }

    private void sample(EmbeddedMariaDb db, String query) {
        try (Connection root = db.rootConnection(); Statement s = root.createStatement()) {
            while (running) {
                try (ResultSet rs = s.executeQuery(query)) {
                    if (rs.next()) {
                        peak.accumulateAndGet(rs.getLong(1), Math::max);
                    }
                }
                Thread.sleep(20);
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long peak() {
        if (failure != null) {
            throw new IllegalStateException("sampling failed: " + failure, failure);
        }
        return peak.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
