package io.mysqlmux.proxy.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mysqlmux.proxy.pool.BackendPool;
import io.mysqlmux.proxy.pool.PoolCounts;
import io.mysqlmux.proxy.pool.Pools;
import io.mysqlmux.proxy.session.PinReason;
import io.mysqlmux.proxy.session.Sessions;
import io.mysqlmux.proxy.session.TrafficGate;
import io.mysqlmux.proxy.stats.ProxyStats;
import io.mysqlmux.proxy.stats.RejectReason;
import io.mysqlmux.proxy.stats.StatsObserver;
import io.netty.util.internal.PlatformDependent;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The proxy's figures as Micrometer meters, exposed as Prometheus text on {@code /metrics}. Counters
 * are read from the same {@link ProxyStats}, {@link Sessions} and pool statistics the admin port
 * shows (function counters and gauges, evaluated at scrape), so both always agree; only latencies
 * and server error codes are recorded here, as they happen.
 */
public final class ProxyMetrics implements StatsObserver {
    private static final String PREFIX = "mysqlmux.";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer commandLatency;
    private final SessionCensus census;

    public ProxyMetrics(ProxyStats stats, Sessions sessions, Pools pools, TrafficGate gate) {
        this.census = new SessionCensus(sessions);
        this.commandLatency = Timer.builder(PREFIX + "command.latency")
                .description("time from a client command being taken up to its answer, queue wait included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(20_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder(PREFIX + "netty.direct.memory", () -> Math.max(0, PlatformDependent.usedDirectMemory()))
                .description("direct memory Netty holds (pooled buffers included)").baseUnit("bytes").register(registry);
        bindClients(stats, sessions);
        bindServer(pools, sessions, stats, gate);
        stats.observe(this);
        pools.onPoolCreated(this::bindPool);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void commandCompleted(long nanos) {
        commandLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void serverError(int code) {
        registry.counter(PREFIX + "server.errors", "code", Integer.toString(code)).increment();
    }

    private void bindClients(ProxyStats stats, Sessions sessions) {
        for (ClientState state : ClientState.values()) {
            Gauge.builder(PREFIX + "client.connections", census, c -> c.count(state, stats))
                    .description("client connections by state (Threads_connected)")
                    .tag("state", state.label()).register(registry);
        }
        gauge("client.connections.peak", stats, ProxyStats::clientConnectionsPeak,
                "most client connections at once since start (Max_used_connections)");
        for (RejectReason reason : RejectReason.values()) {
            FunctionCounter.builder(PREFIX + "client.rejected", stats, s -> s.rejected(reason))
                    .description("client connections refused, by reason").tag("reason", reason.label())
                    .register(registry);
        }
        counter("client.aborted", stats, ProxyStats::abortedClients, "client connections ended without COM_QUIT");
        FunctionCounter.builder(PREFIX + "client.timeouts", stats, ProxyStats::idleTimeouts)
                .description("clients closed by a timeout").tag("timeout", "idle").register(registry);
        FunctionCounter.builder(PREFIX + "client.timeouts", stats, ProxyStats::idleInTransactionTimeouts)
                .description("clients closed by a timeout").tag("timeout", "idle_in_transaction").register(registry);
        counter("client.oversized.packets", stats, ProxyStats::oversizedPackets,
                "commands refused for exceeding the packet size limit");
        counter("client.leak.warnings", stats, ProxyStats::leakWarnings,
                "sessions logged for holding a server connection past leak_warning_threshold");
        counter("queries", stats, ProxyStats::queries, "client commands (Questions)");
        counter("transactions", stats, ProxyStats::transactions, "transactions ended (commit or rollback)");
        FunctionCounter.builder(PREFIX + "client.received", stats, ProxyStats::bytesFromClients)
                .description("bytes received from clients").baseUnit("bytes").register(registry);
        FunctionCounter.builder(PREFIX + "client.sent", stats, ProxyStats::bytesToClients)
                .description("bytes sent to clients").baseUnit("bytes").register(registry);
        for (PinReason reason : PinReason.values()) {
            Gauge.builder(PREFIX + "sessions.pinned", census, c -> c.pinned(reason))
                    .description("sessions pinned to a server connection now, by reason")
                    .tag("reason", reason.label()).register(registry);
            FunctionCounter.builder(PREFIX + "sessions.pins", sessions, s -> s.pinsSinceStart().get(reason))
                    .description("sessions pinned since start, by reason").tag("reason", reason.label())
                    .register(registry);
        }
    }

    private void bindServer(Pools pools, Sessions sessions, ProxyStats stats, TrafficGate gate) {
        gauge("server.connections", pools, Pools::connectionCount, "server connections open or being opened");
        gauge("server.connections.peak", pools, Pools::peakConnectionCount, "most server connections at once");
        gauge("server.connections.cap", pools, Pools::connectionCap, "backend.max_connections in effect");
        gauge("server.reachable", pools, p -> p.health().reachable() ? 1 : 0, "1 when the last connect succeeded");
        gauge("sessions.per.server.connection", sessions, s -> pools.sharingRatio(s.count()),
                "client sessions per server connection: the multiplexing ratio (1 = no sharing)");
        gauge("sessions.per.server.connection.peak", stats, ProxyStats::sharingPeak,
                "the highest multiplexing ratio sampled since start");
        gauge("paused", gate, g -> g.mode() == TrafficGate.Mode.OPEN ? 0 : 1, "1 while PAUSE or a drain holds commands");
    }

    /** Per pool: sizes, queue, and the lease wait as a histogram. */
    private void bindPool(BackendPool pool) {
        Tags tags = Tags.of("pool", pool.key().toString());
        PoolGauges counts = new PoolGauges(pool);
        poolState(counts, tags, "connecting", PoolCounts::connecting);
        poolState(counts, tags, "idle", PoolCounts::idle);
        poolState(counts, tags, "busy", PoolCounts::leased);
        poolState(counts, tags, "checking", PoolCounts::checking);
        poolState(counts, tags, "retiring", PoolCounts::retiring);
        Gauge.builder(PREFIX + "pool.max.size", pool, BackendPool::maxSize).tags(tags).register(registry);
        Gauge.builder(PREFIX + "pool.waiting", counts, c -> c.get().waiting())
                .description("commands waiting for a server connection").tags(tags).register(registry);
        Gauge.builder(PREFIX + "pool.longest.wait", counts, c -> c.get().longestWaitNanos() / 1e9)
                .description("how long the oldest waiting command has waited").baseUnit("seconds").tags(tags)
                .register(registry);
        Gauge.builder(PREFIX + "pool.prepared.statements", pool, p -> p.statistics().statementsHeld())
                .description("prepared statements held on the pool's connections").tags(tags).register(registry);
        poolCounter(pool, tags, "pool.connections.opened", p -> counts.get().opened());
        poolCounter(pool, tags, "pool.connections.closed", p -> counts.get().closed());
        poolCounter(pool, tags, "pool.connect.failures", BackendPool::connectFailures);
        poolCounter(pool, tags, "pool.server.refusals", BackendPool::serverRefusals);
        poolCounter(pool, tags, "pool.queue.timeouts", p -> p.statistics().timeouts());
        poolCounter(pool, tags, "pool.queue.full", p -> p.statistics().queueFullRejections());
        poolCounter(pool, tags, "pool.validation.failures", p -> p.statistics().validationFailures());
        poolCounter(pool, tags, "pool.reprepares", p -> p.statistics().reprepares());
        Timer wait = Timer.builder(PREFIX + "pool.queue.wait")
                .description("time a command waited for a server connection (0 when one was idle)")
                .tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        pool.statistics().observeWaits(nanos -> wait.record(nanos, TimeUnit.NANOSECONDS));
    }

    private void poolState(PoolGauges counts, Tags tags, String state, ToDoubleFunction<PoolCounts> value) {
        Gauge.builder(PREFIX + "pool.connections", counts, c -> value.applyAsDouble(c.get()))
                .description("server connections of the pool by state").tags(tags).tag("state", state)
                .register(registry);
    }

    private void poolCounter(BackendPool pool, Tags tags, String name, ToDoubleFunction<BackendPool> value) {
        FunctionCounter.builder(PREFIX + name, pool, value).tags(tags).register(registry);
    }

    private <T> void gauge(String name, T source, ToDoubleFunction<T> value, String description) {
        Gauge.builder(PREFIX + name, source, value).description(description).register(registry);
    }

    private <T> void counter(String name, T source, ToDoubleFunction<T> value, String description) {
        FunctionCounter.builder(PREFIX + name, source, value).description(description).register(registry);
    }

    /** The states client connections are counted in. */
    enum ClientState {
        LOGGING_IN, IDLE, WAITING, ACTIVE, IN_TRANSACTION, PINNED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
