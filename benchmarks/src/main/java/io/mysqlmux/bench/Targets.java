package io.mysqlmux.bench;

import com.typesafe.config.ConfigFactory;
import io.mysqlmux.bench.load.Target;
import io.mysqlmux.bench.scenario.HaproxyRelay;
import io.mysqlmux.bench.scenario.Probe;
import io.mysqlmux.bench.scenario.ProxyProcess;
import io.mysqlmux.proxy.ProxyServer;
import io.mysqlmux.proxy.config.ProxyConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns the runner's {@code --targets} into endpoints, starting what runs here (the mysqlmux jar in
 * its own JVM, HAProxy), and knows each one's process for CPU per query: mysqlmux's and HAProxy's
 * as started, and {@code name=host:port@pid} for any other. Whatever it starts is closed with the
 * runner, last started first.
 */
final class Targets implements AutoCloseable {

    /** How to start mysqlmux: the production jar in its own JVM ("process") or in the runner's. */
    record ProxySettings(String mode, Path jar, String heap, List<String> javaOptions, int poolSize, Path out) {
    }

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String database;
    private final long serverPid;
    private final ProxySettings proxy;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, ProxyProcess> proxies = new HashMap<>();

    Targets(String host, int port, String user, String password, String database, long serverPid, ProxySettings proxy) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.database = database;
        this.serverPid = serverPid;
        this.proxy = proxy;
    }

    /** The server itself, as sysbench prepare and the direct target reach it. */
    Target server() {
        return new Target("direct", host, port, user, password, database);
    }

    /** What to read for {@code target} besides its counters. */
    Probe probe(Target target) {
        return new Probe(serverPid, proxies.get(target.name()));
    }

    List<Target> resolve(List<String> specs) throws Exception {
        List<Target> resolved = new ArrayList<>();
        for (String spec : specs) {
            switch (spec) {
                case "direct" -> resolved.add(server());
                case "mysqlmux" -> resolved.add(startProxy());
                case "haproxy" -> {
                    if (!HaproxyRelay.available()) {
                        System.err.println("haproxy is not installed (apt-get install -y haproxy): skipping that target");
                        continue;
                    }
                    HaproxyRelay relay = HaproxyRelay.start(host, port, proxy.out());
                    started.add(relay);
                    resolved.add(new Target("haproxy", "127.0.0.1", relay.port(), user, password, database, relay.pid()));
                }
                default -> resolved.add(named(spec));
            }
        }
        return resolved;
    }

    /** {@code name=host:port}, or {@code name=host:port@pid} to read that process's CPU per query. */
    private Target named(String spec) {
        String[] named = spec.split("=", 2);
        if (named.length != 2 || named[1].lastIndexOf(':') < 0) {
            throw new IllegalArgumentException("target '" + spec
                    + "': expected direct, mysqlmux, haproxy, name=host:port or name=host:port@pid");
        }
        String endpoint = named[1];
        long pid = 0;
        int at = endpoint.lastIndexOf('@');
        if (at > 0) {
            pid = Long.parseLong(endpoint.substring(at + 1));
            endpoint = endpoint.substring(0, at);
        }
        return new Target(named[0], endpoint.substring(0, endpoint.lastIndexOf(':')),
                Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)), user, password, database, pid);
    }

    private Target startProxy() throws Exception {
        if (proxy.mode().equals("in-process")) {
            ProxyServer server = ProxyServer.start(ProxyConfig.from(ConfigFactory.parseMap(Map.of(
                    "mysqlmux.listen", "127.0.0.1:0", "mysqlmux.backend.address", host + ":" + port,
                    "mysqlmux.users." + user + ".password", password, "mysqlmux.pool.max_size", proxy.poolSize(),
                    "mysqlmux.max_client_connections", 30000, "mysqlmux.http.listen", ""))));
            started.add(server);
            server.ready().get(60, TimeUnit.SECONDS);
            // Shares the runner's JVM with the load generator: its CPU cannot be told apart.
            return new Target("mysqlmux", "127.0.0.1", server.address().getPort(), user, password, database);
        }
        ProxyProcess process = startProxyProcess();
        proxies.put("mysqlmux", process);
        return new Target("mysqlmux", "127.0.0.1", process.port(), user, password, database, process.pid());
    }

    /** The production jar in its own JVM (also the idle scenario's proxy). */
    ProxyProcess startProxyProcess() throws Exception {
        ProxyProcess process = ProxyProcess.start(proxy.jar(), host, port, user, password, proxy.poolSize(),
                proxy.heap(), proxy.javaOptions(), proxy.out().resolve("mysqlmux.log"));
        started.add(process);
        return process;
    }

    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }
}
