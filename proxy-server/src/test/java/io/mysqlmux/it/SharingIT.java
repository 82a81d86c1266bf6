package io.mysqlmux.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mysqlmux.proxy.session.PinReason;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.ServerConnectionMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sharing figure: an ORM-like workload (mysql-connector-j defaults under HikariCP, a pool of 50
 * per app instance, 4 instances, short transactions) through a proxy pool of 8. Nothing in it should
 * pin a session, and the server should never see more than 8 connections.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class SharingIT {
    private static final int INSTANCES = 4;
    private static final int HIKARI_POOL = 50;
    private static final int WORKERS_PER_INSTANCE = 20;
    private static final int TRANSACTIONS_PER_WORKER = 40;
    private static final int PROXY_POOL = 8;

    @Test
    void ormWorkloadSharesEightServerConnectionsWithoutPinning(EmbeddedMariaDb db) throws Exception {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE app.orders (id INT PRIMARY KEY, status VARCHAR(10), total DECIMAL(10,2),"
                    + " version INT) ENGINE=InnoDB");
            s.execute("INSERT INTO app.orders SELECT seq, 'new', seq, 0 FROM seq_1_to_1000");
        }
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", PROXY_POOL, "pool.queue_timeout", "60s"));
             ServerConnectionMonitor server = ServerConnectionMonitor.start(db, EmbeddedMariaDb.APP.user())) {
            List<HikariDataSource> instances = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                instances.add(instance(proxy, i));
            }
            AtomicLong committed = new AtomicLong();
            long started = System.nanoTime();
            ExecutorService workers = Executors.newFixedThreadPool(INSTANCES * WORKERS_PER_INSTANCE);
            List<Future<?>> done = new ArrayList<>();
            for (HikariDataSource instance : instances) {
                for (int w = 0; w < WORKERS_PER_INSTANCE; w++) {
                    done.add(workers.submit(() -> {
                        for (int t = 0; t < TRANSACTIONS_PER_WORKER; t++) {
                            transaction(instance);
                            committed.incrementAndGet();
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            workers.shutdown();
            int clientConnections = proxy.server().sessions().count();
            instances.forEach(HikariDataSource::close);

            Map<PinReason, Long> pins = proxy.server().sessions().pinsSinceStart();
            long pinned = pins.entrySet().stream().filter(e -> e.getKey().isPermanent()).mapToLong(Map.Entry::getValue).sum();
            System.out.printf("SharingIT: %d client connections, %d transactions in %.1f s (%.0f/s), sessions ever"
                    + " pinned %d, peak server connections %d (pool %d)%n", clientConnections, committed.get(), seconds,
                    committed.get() / seconds, pinned, server.peak(), PROXY_POOL);
            assertEquals(INSTANCES * WORKERS_PER_INSTANCE * TRANSACTIONS_PER_WORKER, committed.get());
            assertEquals(INSTANCES * HIKARI_POOL, clientConnections, "every Hikari connection was open through the proxy");
            assertEquals(0, pinned, "no session got pinned: " + pins);
            assertTrue(server.peak() <= PROXY_POOL, "server saw " + server.peak() + " connections");
        }
    }

    private static HikariDataSource instance(ProxyFixture proxy, int number) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("app-instance-" + number);
        config.setJdbcUrl(proxy.mysqlUrl("app", ""));
        config.setUsername(EmbeddedMariaDb.APP.user());
        config.setPassword(EmbeddedMariaDb.APP.password());
        config.setMaximumPoolSize(HIKARI_POOL);
        config.setMinimumIdle(HIKARI_POOL);
        config.setAutoCommit(false);
        config.setConnectionTimeout(60_000);
        config.setInitializationFailTimeout(60_000);
        HikariDataSource ds = new HikariDataSource(config);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ds.getHikariPoolMXBean().getTotalConnections() < HIKARI_POOL && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return ds;
    }

    /** Read an order, bump it optimistically, commit — what an ORM does for one request. */
    private static void transaction(HikariDataSource ds) throws Exception {
        int id = ThreadLocalRandom.current().nextInt(1, 1001);
        try (Connection c = ds.getConnection()) {
            int version;
            try (PreparedStatement read = c.prepareStatement("SELECT status, total, version FROM orders WHERE id = ?")) {
                read.setInt(1, id);
                try (ResultSet rs = read.executeQuery()) {
                    assertTrue(rs.next());
                    version = rs.getInt(3);
                }
            }
            try (PreparedStatement write = c.prepareStatement(
                    "UPDATE orders SET status = 'seen', version = version + 1 WHERE id = ? AND version >= ?")) {
                write.setInt(1, id);
                write.setInt(2, version);
                write.executeUpdate();
            }
            c.commit();
        }
    }
}
