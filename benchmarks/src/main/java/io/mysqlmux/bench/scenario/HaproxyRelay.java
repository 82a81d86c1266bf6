package io.mysqlmux.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The reference for one network hop: HAProxy in TCP mode relaying to the server. It parses
 * nothing, so what mysqlmux costs beyond it is the price of understanding the protocol. Needs the
 * {@code haproxy} binary ({@code apt-get install -y haproxy}).
 */
public final class HaproxyRelay implements AutoCloseable {
    private final Process process;
    private final int port;

    private HaproxyRelay(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Whether {@code haproxy} can be started here. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("haproxy", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public static HaproxyRelay start(String serverHost, int serverPort, Path dir) throws IOException, InterruptedException {
        int port = ProxyProcess.freePort();
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
                "global",
                "  maxconn 9000", // two descriptors per relayed connection must fit under the usual limit of 20000
                "defaults",
                "  mode tcp",
                "  timeout connect 5s",
                "  timeout client 1h",
                "  timeout server 1h",
                "listen mysql",
                "  bind 127.0.0.1:" + port,
                "  server db " + serverHost + ":" + serverPort + " maxconn 9000",
                ""));
        Process process = new ProcessBuilder("haproxy", "-db", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(dir.resolve("haproxy.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return new HaproxyRelay(process, port);
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("haproxy exited; see " + dir.resolve("haproxy.log"));
                }
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("haproxy did not listen within 10 s");
    }

    public int port() {
        return port;
    }

    /** The haproxy process (run in the foreground with -db: one process, all its threads). */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
