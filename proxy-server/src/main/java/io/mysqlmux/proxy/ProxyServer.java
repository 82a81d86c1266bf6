package io.mysqlmux.proxy;

import io.mysqlmux.proxy.backend.Pools;
import io.mysqlmux.proxy.backend.ServerInfo;
import io.mysqlmux.proxy.config.ProxyConfig;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.frontend.FrontendServer;
import io.mysqlmux.proxy.session.SessionWatchdog;
import io.mysqlmux.proxy.session.Sessions;
import io.mysqlmux.proxy.stats.ProxyStats;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running proxy: event loops, backend pools and the client listener, started and stopped as one.
 * Used by {@link MysqlMux#main} and by tests, which run it in-process.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final ProxyConfig config;
    private final Transport transport;
    private final Pools pools;
    private final Sessions sessions = new Sessions();
    private final ProxyStats stats = new ProxyStats();
    private final SessionWatchdog watchdog;
    private final FrontendServer frontend;
    private final CompletableFuture<ServerInfo> ready = new CompletableFuture<>();

    private ProxyServer(ProxyConfig config) {
        this.config = config;
        this.transport = Transport.create(config.eventLoopThreads());
        this.pools = new Pools(config, transport);
        this.watchdog = new SessionWatchdog(config.settings(), stats);
        this.frontend = new FrontendServer(config, transport, pools, sessions, stats, watchdog);
    }

    /** Binds the listener (failing if the address is taken) and starts reaching for the server. */
    public static ProxyServer start(ProxyConfig config) {
        ProxyServer server = new ProxyServer(config);
        try {
            server.frontend.bind().syncUninterruptibly();
        } catch (RuntimeException e) {
            server.transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + config.listen() + ": " + e.getMessage(), e);
        }
        server.pools.start();
        server.pools.serverInfo().whenKnown(server.transport.group().next(), info -> {
            log.info("mysqlmux ready: listening on {} for {}, server {} ({}), pool max_size {}, {} transport",
                    server.address(), config.users().keySet(), config.backend(), info.serverVersion(),
                    config.settings().intValue(Setting.POOL_MAX_SIZE), server.transport.name());
            server.ready.complete(info);
        });
        return server;
    }

    /** Completes once the server was reached and clients get greetings. */
    public CompletableFuture<ServerInfo> ready() {
        return ready;
    }

    public InetSocketAddress address() {
        return frontend.localAddress();
    }

    public ProxyConfig config() {
        return config;
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

    /**
     * Direct memory Netty holds for this JVM (pooled chunks included, so it does not fall at once
     * when buffers are released), or -1 where Netty cannot count it.
     */
    public static long directMemoryBytes() {
        return PlatformDependent.usedDirectMemory();
    }

    /** Stops accepting, closes client and server connections, and stops the event loops. */
    @Override
    public void close() {
        frontend.close();
        watchdog.close();
        pools.close();
        transport.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("mysqlmux stopped");
    }
}
