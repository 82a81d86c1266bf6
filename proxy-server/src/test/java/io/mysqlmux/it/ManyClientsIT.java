package io.mysqlmux.it;

import io.mysqlmux.proxy.pool.BackendPool;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.ServerConnectionMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 client connections, all open at once, over a pool of 8: every query succeeds and the server
 * itself never sees more than 8 connections from the proxy's user.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class ManyClientsIT {
    private static final int CLIENTS = 1000;
    private static final int QUERIES = 10;
    private static final int POOL = 8;

    @Test
    void thousandClientsShareEightServerConnections(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("pool.max_size", POOL, "pool.queue_timeout", "60s"));
             ServerConnectionMonitor server = ServerConnectionMonitor.start(db, EmbeddedMariaDb.APP.user())) {
            CountDownLatch allConnected = new CountDownLatch(CLIENTS);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int id = i;
                results.add(clients.submit(() -> runClient(proxy, id, allConnected)));
            }
            assertTrue(allConnected.await(3, TimeUnit.MINUTES), "all clients connected");
            assertTrue(proxy.server().frontend().clientCount() >= CLIENTS, "the proxy holds every client connection");
            int answered = 0;
            for (Future<Integer> result : results) {
                answered += result.get(3, TimeUnit.MINUTES);
            }
            clients.shutdown();
            assertEquals(CLIENTS * QUERIES, answered);
            assertTrue(server.peak() <= POOL, "server saw " + server.peak() + " connections from the proxy (pool " + POOL + ")");
            assertTrue(server.peak() >= 1, "the monitor saw the proxy's connections");
            for (BackendPool pool : proxy.server().pools().all()) {
                assertTrue(pool.counts().size() <= POOL);
            }
        }
    }

    private static int runClient(ProxyFixture proxy, int id, CountDownLatch allConnected) throws Exception {
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            allConnected.countDown();
            allConnected.await(3, TimeUnit.MINUTES);
            int answered = 0;
            for (int q = 0; q < QUERIES; q++) {
                try (ResultSet rs = s.executeQuery("SELECT " + id + " * " + q + ", COUNT(*) FROM seq_1_to_100")) {
                    rs.next();
                    assertEquals((long) id * q, rs.getLong(1));
                    assertEquals(100, rs.getInt(2));
                    answered++;
                }
            }
            return answered;
        }
    }
}
