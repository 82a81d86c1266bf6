package io.mysqlmux.bench.demo;

import com.typesafe.config.ConfigFactory;
import io.mysqlmux.proxy.ProxyServer;
import io.mysqlmux.proxy.config.ProxyConfig;
import io.mysqlmux.testing.EmbeddedMariaDb;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The README's first command: an embedded MariaDB (max_connections = 50) with mysqlmux in front of
 * it on 127.0.0.1:6033 (or the next free port), running until Ctrl-C, with the way to connect
 * printed. Nothing here is part of the production jar.
 */
public final class DemoMain {
    private static final int PREFERRED_PORT = 6033;
    private static final int SERVER_MAX_CONNECTIONS = 50;
    private static final int POOL_MAX_SIZE = 20;

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("Starting an embedded MariaDB (max_connections = " + SERVER_MAX_CONNECTIONS + ") ...");
        EmbeddedMariaDb db = EmbeddedMariaDb.start(
                EmbeddedMariaDb.Options.defaults().withMaxConnections(SERVER_MAX_CONNECTIONS));
        int port = freePort(PREFERRED_PORT);
        ProxyServer proxy = ProxyServer.start(ProxyConfig.from(ConfigFactory.parseMap(Map.of(
                "mysqlmux.listen", "127.0.0.1:" + port,
                "mysqlmux.backend.address", db.host() + ":" + db.port(),
                "mysqlmux.pool.max_size", POOL_MAX_SIZE,
                "mysqlmux.users.app.password", EmbeddedMariaDb.APP.password()))));
        proxy.ready().get(60, TimeUnit.SECONDS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            db.close();
            stopped.countDown();
        }, "demo-shutdown"));
        printHowToConnect(port, db);
        stopped.await();
    }

    private static void printHowToConnect(int port, EmbeddedMariaDb db) {
        String user = EmbeddedMariaDb.APP.user();
        String password = EmbeddedMariaDb.APP.password();
        System.out.println();
        System.out.println("mysqlmux is running on 127.0.0.1:" + port + " in front of MariaDB " + db.version()
                + " on " + db.host() + ":" + db.port() + " (pool of " + POOL_MAX_SIZE + " server connections).");
        System.out.println();
        System.out.println("  mysql    -h 127.0.0.1 -P " + port + " -u " + user + " -p" + password + " app");
        System.out.println("  mariadb  -h 127.0.0.1 -P " + port + " -u " + user + " -p" + password
                + " --skip-ssl app     (MariaDB 11.4+ clients ask for TLS by default)");
        System.out.println("  JDBC     jdbc:mysql://127.0.0.1:" + port + "/app?user=" + user + "&password=" + password
                + "&sslMode=DISABLED");
        System.out.println();
        System.out.println("Press Ctrl-C to stop.");
    }

    private static int freePort(int preferred) throws IOException {
        for (int port : new int[] {preferred, 0}) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return socket.getLocalPort();
            } catch (IOException taken) {
                if (port == 0) {
                    throw taken;
                }
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
