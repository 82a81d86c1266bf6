package io.mysqlmux.proxy;

import io.mysqlmux.proxy.pool.Pools;
import io.mysqlmux.proxy.net.Transport;
import io.mysqlmux.proxy.backend.ServerInfo;
import io.mysqlmux.proxy.config.ConfiguredUsers;
import io.mysqlmux.proxy.config.ProxyConfig;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.control.AdminEndpoints;
import io.mysqlmux.proxy.control.Lifecycle;
import io.mysqlmux.proxy.control.ProxyControl;
import io.mysqlmux.proxy.frontend.FrontendServer;
import io.mysqlmux.proxy.metrics.ProxyMetrics;
import io.mysqlmux.proxy.session.SessionServices;
import io.mysqlmux.proxy.session.SessionWatchdog;
import io.mysqlmux.proxy.session.Sessions;
import io.mysqlmux.proxy.session.TrafficGate;
import io.mysqlmux.proxy.stats.ProxyStats;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A running proxy: event loops, backend pools, the client listener, and the operator's ways in
 * (admin port, HTTP metrics and health), started and stopped as one. Used by {@link MysqlMux#main}
 * and by tests, which run it in-process.
 */
public final class ProxyServer implements AutoCloseable, Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final ProxyConfig config;
    private final Supplier<ProxyConfig> configSource;
    private final Transport transport;
    private final Pools pools;
    private final Sessions sessions = new Sessions();
    private final ProxyStats stats = new ProxyStats();
    private final TrafficGate gate = new TrafficGate();
    private final SessionWatchdog watchdog;
    private final ProxyMetrics metrics;
    private final FrontendServer frontend;
    private final ProxyControl control;
    private final AdminEndpoints admin;
    private final CompletableFuture<ServerInfo> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ProxyServer(ProxyConfig config, Supplier<ProxyConfig> configSource) {
        this.config = config;
        this.configSource = configSource;
        this.transport = Transport.create(config.eventLoopThreads());
        this.pools = new Pools(config, transport);
        pools.census(sessions);
        this.watchdog = new SessionWatchdog(config.settings(), stats);
        this.metrics = new ProxyMetrics(stats, sessions, pools, gate);
        SessionServices services = new SessionServices(config, pools, new ConfiguredUsers(config.users()), sessions,
                stats, watchdog, gate, new SecureRandom());
        this.frontend = new FrontendServer(config, transport, services);
        this.control = new ProxyControl(config, pools, sessions, gate, stats, metrics, this);
        this.admin = new AdminEndpoints(config.admin(), control);
    }

    /** Binds the listeners (failing if an address is taken) and starts reaching for the server. */
    public static ProxyServer start(ProxyConfig config) {
        return start(config, () -> config);
    }

    /**
     * @param configSource reads the configuration again, for the admin's RELOAD (e.g. the file the
     *                     proxy was started with)
     */
    public static ProxyServer start(ProxyConfig config, Supplier<ProxyConfig> configSource) {
        ProxyServer server = new ProxyServer(config, configSource);
        try {
            server.frontend.bind().syncUninterruptibly();
            server.admin.start(server.serverVersionForAdmin());
        } catch (RuntimeException e) {
            server.admin.close();
            server.frontend.close();
            server.transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen: " + e.getMessage(), e);
        }
        server.pools.start();
        server.transport.group().next().scheduleAtFixedRate(
                () -> server.stats.sampleSharing(server.pools.sharingRatio(server.sessions.count())), 1, 1, TimeUnit.SECONDS);
        server.pools.serverInfo().whenKnown(server.transport.group().next(), info -> {
            log.info("mysqlmux ready: listening on {} for {}, server {} ({}), pool max_size {}, {} transport{}",
                    server.address(), config.users().keySet(), config.backend(), info.serverVersion(),
                    config.settings().intValue(Setting.POOL_MAX_SIZE), server.transport.name(),
                    server.admin.describe());
            server.ready.complete(info);
        });
        return server;
    }

    /** Completes once the server was reached and clients get greetings. */
    public CompletableFuture<ServerInfo> ready() {
        return ready;
    }

    /** Completes once the proxy has stopped (SHUTDOWN from the admin port, SIGTERM, {@link #close()}). */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    public InetSocketAddress address() {
        return frontend.localAddress();
    }

    public ProxyConfig config() {
        return config;
    }

    @Override
    public boolean isReady() {
        return ready.isDone();
    }

    @Override
    public ProxyConfig rereadConfig() {
        return configSource.get();
    }

    public Pools pools() {
        return pools;
    }

    public FrontendServer frontend() {
        return frontend;
    }

    /** The logged-in client sessions. */
    public Sessions sessions() {
        return sessions;
    }

    /** Proxy-wide counters (connections, rejections, queries, bytes). */
    public ProxyStats stats() {
        return stats;
    }

    public TrafficGate gate() {
        return gate;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    /** What the admin port and the HTTP endpoint see of the proxy. */
    public ProxyControl control() {
        return control;
    }

    /** The admin port and HTTP endpoint addresses (null where turned off). */
    public AdminEndpoints adminEndpoints() {
        return admin;
    }

    Transport transport() {
        return transport;
    }

    /**
     * Direct memory Netty holds for this JVM (pooled chunks included, so it does not fall at once
     * when buffers are released), or -1 where Netty cannot count it.
     */
    public static long directMemoryBytes() {
        return PlatformDependent.usedDirectMemory();
    }

    /**
     * Stops the proxy: at once, or (graceful) after open transactions finish within
     * shutdown_timeout (see {@link GracefulShutdown}). Returns {@link #terminated()}.
     */
    @Override
    public void shutdown(boolean graceful) {
        stop(graceful);
    }

    /** {@link #shutdown}, returning {@link #terminated()}. */
    public CompletableFuture<Void> stop(boolean graceful) {
        if (!stopping.compareAndSet(false, true)) {
            return terminated;
        }
        log.info("mysqlmux shutting down{}", graceful ? " gracefully" : "");
        frontend.stopAccepting();
        if (graceful) {
            new GracefulShutdown(this, sessions, gate).begin();
        } else {
            new Thread(this::close, "mysqlmux-shutdown").start();
        }
        return terminated;
    }

    /** Stops accepting, closes client and server connections, and stops the event loops. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            terminated.join();
            return;
        }
        stopping.set(true);
        try {
            closeQuietly("admin port", admin::close);
            closeQuietly("listener", frontend::close);
            closeQuietly("watchdog", watchdog::close);
            closeQuietly("pools", pools::close);
            // A short quiet period lets the cleanup tasks of the connections just closed run first.
            transport.group().shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5000);
            log.info("mysqlmux stopped");
        } finally {
            terminated.complete(null);
        }
    }

    /** One step of closing; a failing step must not keep the others, or the process, from ending. */
    private static void closeQuietly(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.warn("closing the {} failed: {}", what, e.toString());
        }
    }

    /**
     * The admin port's greeting version: a MySQL 8.0 version (so drivers take their modern path)
     * marked as the admin's, as clients show it.
     */
    private String serverVersionForAdmin() {
        return "8.0.36-mysqlmux-admin";
    }
}
