package io.mysqlmux.it;

import io.mysqlmux.proxy.stats.RejectReason;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits on client connections: the proxy-wide one (ERROR 1040 naming max_client_connections), the
 * per-user one (ERROR 1226), the login deadline, idle clients, and oversized commands. Each refusal
 * leaves every other client working.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class ClientLimitsIT {

    @Test
    void clientBeyondMaxClientConnectionsGets1040AndOthersKeepWorking(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("max_client_connections", 5))) {
            List<Connection> open = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    open.add(proxy.connect());
                }
                SQLException refused = assertThrows(SQLException.class, proxy::connect);
                assertEquals(1040, refused.getErrorCode(), refused.getMessage());
                assertEquals("08004", refused.getSQLState());
                assertTrue(refused.getMessage().contains("max_client_connections"), refused.getMessage());
                assertTrue(refused.getMessage().contains("at most 5"), refused.getMessage());
                for (Connection c : open) {
                    assertEquals("1", Sql.one(c, "SELECT 1"));
                }
                assertEquals(1, proxy.server().stats().rejected(RejectReason.MAX_CLIENT_CONNECTIONS));

                open.remove(0).close();
                awaitClientCount(proxy, 4);
                open.add(proxy.connect());
                assertEquals("1", Sql.one(open.get(open.size() - 1), "SELECT 1"));
            } finally {
                for (Connection c : open) {
                    c.close();
                }
            }
        }
    }

    @Test
    void userBeyondItsMaxConnectionsGets1226AndTheLimitChangesLive(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("users.app.max_connections", 2))) {
            try (Connection first = proxy.connect(); Connection second = proxy.connect();
                 Connection otherUser = DriverManager.getConnection(proxy.mysqlUrl("app", ""),
                         EmbeddedMariaDb.OTHER.user(), EmbeddedMariaDb.OTHER.password())) {
                SQLException refused = assertThrows(SQLException.class, proxy::connect);
                assertEquals(1226, refused.getErrorCode(), refused.getMessage());
                assertEquals("42000", refused.getSQLState());
                assertTrue(refused.getMessage().contains("users.app.max_connections"), refused.getMessage());
                assertEquals("1", Sql.one(otherUser, "SELECT 1"), "another user is not limited by app's limit");
                assertEquals("1", Sql.one(first, "SELECT 1"));

                proxy.server().config().settings().set("users.app.max_connections", "3");
                try (Connection third = proxy.connect()) {
                    assertEquals("1", Sql.one(third, "SELECT 1"));
                }
                assertEquals("1", Sql.one(second, "SELECT 1"));
            }
        }
    }

    /**
     * A thousand connections that never log in (a port scanner, a stuck health check) hold
     * sockets only until handshake_timeout and never keep real clients out.
     */
    @Test
    void stalledLoginsDoNotKeepRealClientsOutAndAreCutAtTheDeadline(EmbeddedMariaDb db) throws Exception {
        int stalled = 1000;
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("client.handshake_timeout", "3s"))) {
            List<Socket> sockets = new ArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(10);
            try {
                long openedAt = System.nanoTime();
                for (int i = 0; i < stalled; i++) {
                    sockets.add(new Socket("127.0.0.1", proxy.port()));
                }
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    answers.add(clients.submit(() -> {
                        try (Connection c = proxy.connect()) {
                            return Sql.one(c, "SELECT 42");
                        }
                    }));
                }
                for (Future<String> answer : answers) {
                    assertEquals("42", answer.get(30, TimeUnit.SECONDS));
                }
                assertTrue(System.nanoTime() - openedAt < TimeUnit.SECONDS.toNanos(3),
                        "the real clients logged in while the stalled connections were all still open");

                for (Socket socket : sockets) {
                    assertTrue(closedByProxy(socket), "a stalled login is closed after handshake_timeout");
                }
                assertTrue(proxy.server().stats().rejected(RejectReason.HANDSHAKE_TIMEOUT) >= stalled);
            } finally {
                clients.shutdownNow();
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void idleClientIsClosedAfterClientIdleTimeoutWithError4031(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("client.idle_timeout", "1s"));
             Connection idle = proxy.connect(); Connection busy = proxy.connect()) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
            while (System.nanoTime() < until) {
                assertEquals("1", Sql.one(busy, "SELECT 1"), "a client that keeps sending is not idle");
                Thread.sleep(200);
            }
            SQLException closed = assertThrows(SQLException.class, () -> Sql.one(idle, "SELECT 1"));
            assertTrue(closed.getErrorCode() == 4031 || idle.isClosed() || !idle.isValid(1),
                    "the idle client was disconnected: " + closed);
            assertEquals(1, proxy.server().stats().idleTimeouts());
            assertEquals("1", Sql.one(busy, "SELECT 1"));
        }
    }

    @Test
    void commandLargerThanMaxPacketSizeGets1153AndOnlyThatConnectionCloses(EmbeddedMariaDb db) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(db, Map.of("client.max_packet_size", "64K"));
             Connection sender = proxy.connect(); Connection bystander = proxy.connect()) {
            String big = "SELECT '" + "x".repeat(100_000) + "'";
            SQLException refused = assertThrows(SQLException.class, () -> Sql.one(sender, big));
            assertEquals(1153, refused.getErrorCode(), refused.getMessage());
            assertEquals("08S01", refused.getSQLState());
            assertTrue(refused.getMessage().contains("65536"), refused.getMessage());
            assertTrue(!sender.isValid(2), "the connection that sent it is closed");
            assertEquals("1", Sql.one(bystander, "SELECT 1"));
            String fits = Sql.one(bystander, "SELECT LENGTH('" + "y".repeat(60_000) + "')");
            assertEquals("60000", fits);
            assertEquals(1, proxy.server().stats().oversizedPackets());
        }
    }

    /** Reads (greeting, then the proxy's ERR) until the proxy closes: end of stream within 10 s. */
    private static boolean closedByProxy(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[1024];
        try {
            for (int reads = 0; reads < 100; reads++) {
                if (in.read(chunk) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }

    private static void awaitClientCount(ProxyFixture proxy, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (proxy.server().frontend().clientCount() > count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
