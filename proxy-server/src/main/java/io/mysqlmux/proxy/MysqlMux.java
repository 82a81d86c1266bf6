package io.mysqlmux.proxy;

import io.mysqlmux.proxy.config.ConfigException;
import io.mysqlmux.proxy.config.ConfigLoader;
import io.mysqlmux.proxy.config.ProxyConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code java -jar mysqlmux.jar [--config FILE] [--listen host:port] [--backend host:port] ...}.
 * Runs the proxy until SIGTERM or Ctrl-C (a graceful stop: open transactions may finish within
 * shutdown_timeout) or the admin's SHUTDOWN. Settings come from flags, then environment variables,
 * then the file, then {@code reference.conf}; the admin's RELOAD reads them again the same way.
 */
@Command(name = "mysqlmux", mixinStandardHelpOptions = true, version = "mysqlmux 0.1.0",
        description = "MySQL connection-multiplexing proxy: many client connections on a few server connections.")
public final class MysqlMux implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON configuration file (see conf/mysqlmux.conf).")
    private Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Where applications connect (default 127.0.0.1:6033).")
    private String listen;

    @Option(names = "--backend", paramLabel = "HOST:PORT", description = "The MySQL/MariaDB server (default 127.0.0.1:3306).")
    private String backend;

    @Option(names = "--pool-max-size", paramLabel = "N", description = "Most server connections per user pool.")
    private Integer poolMaxSize;

    @Override
    public Integer call() {
        ProxyConfig proxyConfig;
        try {
            proxyConfig = ConfigLoader.load(config, flags());
        } catch (ConfigException e) {
            System.err.println("mysqlmux: bad configuration: " + e.getMessage());
            return 2;
        }
        Map<String, String> flags = flags();
        ProxyServer server;
        try {
            server = ProxyServer.start(proxyConfig, () -> ConfigLoader.load(config, flags));
        } catch (IllegalStateException e) {
            System.err.println("mysqlmux: " + e.getMessage());
            return 1;
        }
        Thread drain = new Thread(() -> server.stop(true).join(), "mysqlmux-sigterm");
        Runtime.getRuntime().addShutdownHook(drain);
        server.terminated().join();
        return 0;
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new HashMap<>();
        if (listen != null) {
            flags.put("mysqlmux.listen", listen);
        }
        if (backend != null) {
            flags.put("mysqlmux.backend.address", backend);
        }
        if (poolMaxSize != null) {
            flags.put("mysqlmux.pool.max_size", poolMaxSize.toString());
        }
        return flags;
    }

    public static void main(String[] args) {
        // Exit explicitly: after the admin's SHUTDOWN no other thread should keep the JVM up.
        System.exit(new CommandLine(new MysqlMux()).execute(args));
    }
}
