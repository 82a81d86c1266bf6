package io.mysqlmux.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Clients with no think time, each on its own platform thread with its own JDBC connection, running
 * a unit of work in a loop: what sysbench does, measured the way sysbench reports it (each client's
 * share of the work, and the slowest statement). All clients connect first, then start at once; a
 * warm-up runs before the measured window, and only work that ends inside the window is counted.
 * Every thread is joined before {@link #run} returns.
 */
public final class BusyClients {

    /** Opens client {@code index}'s connection. */
    @FunctionalInterface
    public interface Connector {
        Connection open(int index) throws SQLException;
    }

    /** One unit of work (a point select, a transaction); every statement goes through {@code client}. */
    @FunctionalInterface
    public interface Work {
        void run(Client client) throws SQLException;
    }

    /** What a unit of work uses: each statement is timed on its own. */
    public static final class Client {
        private final int index;
        private final Connection connection;
        private final Statement statement;
        private long slowestNanos;
        private String slowestSql;

        Client(int index, Connection connection) throws SQLException {
            this.index = index;
            this.connection = connection;
            this.statement = connection.createStatement();
        }

        public int index() {
            return index;
        }

        /** Runs a query, reads every row, returns the first column of the first row (or null). */
        public String query(String sql) throws SQLException {
            long started = System.nanoTime();
            String first = null;
            try (ResultSet rs = statement.executeQuery(sql)) {
                if (rs.next()) {
                    first = rs.getString(1);
                }
                while (rs.next()) {
                    // read it all: the statement ends when the last row is in
                }
            }
            took(started, sql);
            return first;
        }

        public int update(String sql) throws SQLException {
            long started = System.nanoTime();
            int count = statement.executeUpdate(sql);
            took(started, sql);
            return count;
        }

        public void execute(String sql) throws SQLException {
            long started = System.nanoTime();
            statement.execute(sql);
            took(started, sql);
        }

        private void took(long started, String sql) {
            long took = System.nanoTime() - started;
            if (took > slowestNanos) {
                slowestNanos = took;
                slowestSql = sql;
            }
        }

        long takeSlowest() {
            long slowest = slowestNanos;
            slowestNanos = 0;
            return slowest;
        }
    }

    /**
     * @param completed per client, units of work that ended inside the window
     * @param slowestNanos per client, its slowest statement that ended inside the window
     * @param slowestStatement which client ran the slowest statement of the window, and what it was
     * @param warmupSlowestNanos the slowest statement of the warm-up (reported, not judged)
     * @param errors the first errors, "client 12: 1226 ..."
     */
    public record Result(int clients, long windowNanos, long[] completed, long[] slowestNanos,
                         String slowestStatement, long warmupSlowestNanos, long errorCount, List<String> errors, int stuckThreads) {

        public long total() {
            return Arrays.stream(completed).sum();
        }

        public double mean() {
            return (double) total() / clients;
        }

        /** Units per second over the window, all clients together. */
        public double throughput() {
            return total() / (windowNanos / 1e9);
        }

        public long slowestMillis() {
            return TimeUnit.NANOSECONDS.toMillis(Arrays.stream(slowestNanos).max().orElse(0));
        }

        /** Little's law: with every client always busy, the mean time one unit of work takes. */
        public double meanUnitMillis() {
            return total() == 0 ? Double.POSITIVE_INFINITY : clients * 1000.0 / throughput();
        }

        public String summary() {
            long[] sorted = completed.clone();
            Arrays.sort(sorted);
            long unserved = Arrays.stream(completed).filter(c -> c == 0).count();
            return String.format("%d clients, %.0f s window: %d units (%.0f/s), per client mean %.1f min %d"
                            + " p50 %d max %d, unserved %d; slowest statement %d ms (%s; warm-up %d ms), mean unit %.0f ms;"
                            + " errors %d %s; stuck threads %d",
                    clients, windowNanos / 1e9, total(), throughput(), mean(), sorted[0], sorted[sorted.length / 2],
                    sorted[sorted.length - 1], unserved, slowestMillis(), slowestStatement,
                    TimeUnit.NANOSECONDS.toMillis(warmupSlowestNanos), meanUnitMillis(), errorCount, errors,
                    stuckThreads);
        }
    }

    private static final int MAX_ERRORS_KEPT = 20;
    private static final int CONCURRENT_CONNECTS = 32;
    private static final long STACK_SIZE = 512 * 1024;

    private BusyClients() {
    }

    /**
     * Runs {@code clients} busy clients: all connect (at most {@value #CONCURRENT_CONNECTS} at a time, so
     * that logins do not become a storm of their own), then all work for {@code warmupMillis} plus
     * {@code windowMillis}. {@code whileRunning} runs on the calling thread once all are working, and
     * gets the {@link System#nanoTime} at which the window ends.
     */
    public static Result run(int clients, Connector connector, Work work, long warmupMillis, long windowMillis,
                             LongConsumer whileRunning) throws InterruptedException {
        long[] completed = new long[clients];
        long[] slowest = new long[clients];
        String[] slowestSql = new String[clients];
        AtomicLong warmupSlowest = new AtomicLong();
        AtomicLong errorCount = new AtomicLong();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch connected = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        Semaphore connecting = new Semaphore(CONCURRENT_CONNECTS);
        long[] window = new long[2]; // start, end: written before go opens
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int index = i;
            Runnable body = () -> {
                Connection connection = null;
                try {
                    connecting.acquire();
                    try {
                        connection = connector.open(index);
                    } finally {
                        connecting.release();
                        connected.countDown();
                    }
                    Client client = new Client(index, connection);
                    go.await();
                    long start = window[0];
                    long end = window[1];
                    while (true) {
                        try {
                            work.run(client);
                        } catch (SQLException e) {
                            if (errorCount.incrementAndGet() <= MAX_ERRORS_KEPT) {
                                errors.add("client " + index + ": " + e.getErrorCode() + " " + e.getMessage());
                            }
                            if (connection.isClosed()) {
                                return;
                            }
                        }
                        long now = System.nanoTime();
                        long took = client.takeSlowest();
                        if (now - end >= 0) {
                            break;
                        }
                        if (now - start >= 0) {
                            completed[index]++;
                            if (took > slowest[index]) {
                                slowest[index] = took;
                                slowestSql[index] = client.slowestSql;
                            }
                        } else {
                            warmupSlowest.accumulateAndGet(took, Math::max);
                        }
                    }
                } catch (SQLException e) {
                    errorCount.incrementAndGet();
                    errors.add("client " + index + " could not connect: " + e.getErrorCode() + " " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    closeQuietly(connection);
                }
            };
            Thread thread = new Thread(null, body, "busy-client-" + i, STACK_SIZE);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        int stuck = 0;
        try {
            if (!connected.await(3, TimeUnit.MINUTES)) {
                errors.add((clients - connected.getCount()) + " of " + clients + " clients connected within 3 min");
            }
            long now = System.nanoTime();
            window[0] = now + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
            window[1] = window[0] + TimeUnit.MILLISECONDS.toNanos(windowMillis);
            go.countDown();
            whileRunning.accept(window[1]);
        } finally {
            go.countDown();
            long joinDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMillis + windowMillis)
                    + TimeUnit.SECONDS.toNanos(60);
            for (Thread thread : threads) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
                if (thread.isAlive()) {
                    stuck++;
                    thread.interrupt();
                }
            }
            for (Thread thread : threads) {
                thread.join(1_000);
            }
        }
        int worst = 0;
        for (int i = 1; i < clients; i++) {
            worst = slowest[i] > slowest[worst] ? i : worst;
        }
        String slowestStatement = "client " + worst + ": " + slowestSql[worst];
        return new Result(clients, window[1] - window[0], completed, slowest, slowestStatement, warmupSlowest.get(), errorCount.get(),
                List.copyOf(errors), stuck);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the test has its numbers; a close that fails changes none of them
            }
        }
    }
}
