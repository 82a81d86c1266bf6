package io.mysqlmux.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real jar ({@code target/mysqlmux.jar}, built by the package phase before failsafe runs) as a
 * process of its own, the way a platform runs it: {@code java -jar mysqlmux.jar --config FILE},
 * on free loopback ports, in front of an {@link EmbeddedMariaDb}. For what only a process shows:
 * SIGTERM, shutdown hooks, and whether the JVM really exits. Its output goes to a log file whose
 * tail failure messages quote.
 */
public final class ProxyProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private final int port;
    private final int adminPort;
    private final int httpPort;

    private ProxyProcess(Process process, Path log, int port, int adminPort, int httpPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminPort = adminPort;
        this.httpPort = httpPort;
    }

    /** The jar failsafe tests: {@code -Dmysqlmux.jar=...}, else {@code target/mysqlmux.jar} of this module. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("mysqlmux.jar", "target/mysqlmux.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: run the tests with"
                    + " `mvn verify` (the package phase builds it) or pass -Dmysqlmux.jar=PATH");
        }
        return jar;
    }

    /**
     * Starts the jar with a config file holding the ports, the server, the app user, the admin
     * password and {@code settings} (HOCON paths below {@code mysqlmux.}, values as HOCON text, e.g.
     * {@code shutdown_timeout -> 3s}); returns once /health/ready answers 200.
     */
    public static ProxyProcess start(EmbeddedMariaDb db, Map<String, String> settings, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int[] ports = freePorts(3);
        List<String> lines = new ArrayList<>(List.of(
                "mysqlmux.listen = \"127.0.0.1:" + ports[0] + "\"",
                "mysqlmux.admin.listen = \"127.0.0.1:" + ports[1] + "\"",
                "mysqlmux.http.listen = \"127.0.0.1:" + ports[2] + "\"",
                "mysqlmux.admin.password = \"" + ProxyFixture.ADMIN_PASSWORD + "\"",
                "mysqlmux.backend.address = \"" + db.host() + ":" + db.port() + "\"",
                "mysqlmux.users.app.password = \"" + EmbeddedMariaDb.APP.password() + "\""));
        settings.forEach((key, value) -> lines.add("mysqlmux." + key + " = " + value));
        Path config = dir.resolve("mysqlmux.conf");
        Files.write(config, lines, StandardCharsets.UTF_8);
        Path log = dir.resolve("mysqlmux.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar().toAbsolutePath().toString(),
                "--config", config.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ProxyProcess proxy = new ProxyProcess(process, log, ports[0], ports[1], ports[2]);
        try {
            proxy.awaitReady();
        } catch (IOException | RuntimeException | InterruptedException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mysqlmux exited with " + process.exitValue() + " at start:\n"
                        + logTail(40));
            }
            try {
                HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/health/ready")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("mysqlmux not ready within 60 s:\n" + logTail(40));
    }

    // Bound together, then released for the child to bind: another process could take one in between,
    // which fails the start loudly rather than quietly.
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return adminPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** An app connection through the proxy (mysql-connector-j, bounded timeouts). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/app?sslMode=DISABLED"
                        + "&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=20000",
                EmbeddedMariaDb.APP.user(), EmbeddedMariaDb.APP.password());
    }

    public AdminView admin() throws SQLException {
        return AdminView.at(adminPort, "admin", ProxyFixture.ADMIN_PASSWORD);
    }

    /**
     * SIGTERM ({@link Process#destroy} on Linux), then waits up to {@code limit}; returns how long the
     * process took to exit, or -1 if it is still running.
     */
    public long sigtermAndWait(Duration limit) throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        }
        return -1;
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** SIGQUIT: the JVM prints every thread's stack to its output; returns the log tail afterwards. */
    public String threadDump() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        Thread.sleep(1_000);
        return logTail(400);
    }

    /** The last {@code count} lines of the process's output. */
    public String logTail(int count) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public Path log() {
        return log;
    }

    /** Kills it if it is still running (SIGKILL) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
