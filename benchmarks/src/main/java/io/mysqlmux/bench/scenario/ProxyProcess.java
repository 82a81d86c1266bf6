package io.mysqlmux.bench.scenario;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * mysqlmux as a deployment runs it: the production jar in a JVM of its own (its heap, GC and
 * threads apart from the load generator's), configured by environment variables, ready when
 * {@code /health/ready} says so. Its memory is read from outside: RSS from /proc, heap and Netty
 * direct memory from its own {@code /metrics} after a {@code jcmd GC.run}.
 */
public final class ProxyProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private ProxyProcess(Process process, int port, int httpPort) {
        this.process = process;
        this.port = port;
        this.httpPort = httpPort;
    }

    /**
     * @param jar       proxy-server/target/mysqlmux.jar
     * @param heap      -Xmx for the proxy, e.g. {@code 1g}
     * @param javaOptions more JVM options (profiling, {@code -Dmysqlmux.<setting>=...})
     */
    public static ProxyProcess start(Path jar, String backendHost, int backendPort, String user, String password,
                                     int poolSize, String heap, List<String> javaOptions, Path log) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: build it first (mvn -B -DskipTests package)");
        }
        int port = freePort();
        int httpPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap, "-Xmx" + heap, "-XX:+UseParallelGC"));
        javaOptions.stream().filter(option -> !option.isBlank()).forEach(command::add);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("MYSQLMUX_LISTEN", "127.0.0.1:" + port);
        env.put("MYSQLMUX_BACKEND", backendHost + ":" + backendPort);
        env.put("MYSQLMUX_USER", user);
        env.put("MYSQLMUX_PASSWORD", password);
        env.put("MYSQLMUX_POOL_MAX_SIZE", Integer.toString(poolSize));
        env.put("MYSQLMUX_MAX_CLIENT_CONNECTIONS", "30000");
        env.put("MYSQLMUX_HTTP_LISTEN", "127.0.0.1:" + httpPort);
        ProxyProcess proxy = new ProxyProcess(builder.start(), port, httpPort);
        proxy.awaitReady(Duration.ofSeconds(60), log);
        return proxy;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout, Path log) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the proxy exited: " + Files.readString(log));
            }
            try {
                if (get("/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the proxy was not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    /** Heap in use, Netty direct memory and RSS of the proxy, after a full GC. */
    public record Memory(long heapBytes, long directBytes, long rssBytes) {
    }

    public Memory memory() throws IOException, InterruptedException {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor(30, TimeUnit.SECONDS);
        String metrics = get("/metrics").body();
        return new Memory((long) sum(metrics, "jvm_memory_used_bytes", "area=\"heap\""),
                (long) sum(metrics, "mysqlmux_netty_direct_memory_bytes", ""), rss());
    }

    private long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** The proxy's {@code /metrics} (Prometheus text). */
    public String metrics() throws IOException, InterruptedException {
        return get("/metrics").body();
    }

    /** The sum of every series of metric {@code name} whose labels contain {@code label} ("" = unlabelled). */
    static double sum(String metrics, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([-0-9.eE+]+)$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            if (m.group(1) == null ? label.isEmpty() : m.group(1).contains(label)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
