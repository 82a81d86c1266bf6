package io.mysqlmux.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches, from the server's own processlist, how many connections one user holds, every 20 ms on a
 * thread of its own, and keeps the peak. Closing it stops the watching.
 */
public final class ServerConnectionMonitor implements AutoCloseable {
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile SQLException failure;

    private ServerConnectionMonitor(EmbeddedMariaDb db, String user) {
        thread = new Thread(() -> watch(db, user), "server-connection-monitor");
        thread.setDaemon(true);
    }

    public static ServerConnectionMonitor start(EmbeddedMariaDb db, String user) {
        ServerConnectionMonitor monitor = new ServerConnectionMonitor(db, user);
        monitor.thread.start();
        return monitor;
    }

    private void watch(EmbeddedMariaDb db, String user) {
        try (Connection root = db.rootConnection();
             PreparedStatement count = root.prepareStatement(
                     "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = ?")) {
            count.setString(1, user);
            while (running) {
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    peak.accumulateAndGet(rs.getInt(1), Math::max);
                    samples.incrementAndGet();
                }
                Thread.sleep(20);
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Most connections the user held at once, as far as the samples saw. */
    public int peak() {
        if (failure != null) {
            throw new IllegalStateException("monitor failed: " + failure, failure);
        }
        return peak.get();
    }

    public int samples() {
        return samples.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
