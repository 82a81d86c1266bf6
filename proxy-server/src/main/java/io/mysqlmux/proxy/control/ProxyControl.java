package io.mysqlmux.proxy.control;

import io.mysqlmux.admin.BackendView;
import io.mysqlmux.admin.ClientView;
import io.mysqlmux.admin.ControlException;
import io.mysqlmux.admin.ControlView;
import io.mysqlmux.admin.Health;
import io.mysqlmux.admin.PoolView;
import io.mysqlmux.admin.ReloadResult;
import io.mysqlmux.admin.StatsView;
import io.mysqlmux.admin.UserView;
import io.mysqlmux.admin.VariableView;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.metrics.ProxyMetrics;
import io.mysqlmux.proxy.pool.BackendPool;
import io.mysqlmux.proxy.pool.ConnectionView;
import io.mysqlmux.proxy.pool.PoolCounts;
import io.mysqlmux.proxy.pool.Pools;
import io.mysqlmux.proxy.session.Sessions;
import io.mysqlmux.proxy.stats.ProxyStats;
import io.mysqlmux.proxy.config.ConfigException;
import io.mysqlmux.proxy.config.ProxyConfig;
import io.mysqlmux.proxy.config.Settings;
import io.mysqlmux.proxy.session.ClientSession;
import io.mysqlmux.proxy.session.SessionActivity;
import io.mysqlmux.proxy.session.SessionKills;
import io.mysqlmux.proxy.session.TrafficGate;
import io.mysqlmux.proxy.sql.StatementDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The proxy as the admin port and the HTTP endpoint see it ({@link ControlView}): views built from
 * the same counters the metrics read, and the operator's levers (SET, KILL, PAUSE, RELOAD,
 * SHUTDOWN). Callable from any thread; nothing here blocks on an event loop.
 */
public final class ProxyControl implements ControlView {
    private static final Logger log = LoggerFactory.getLogger(ProxyControl.class);

    private final ProxyConfig config;
    private final Pools pools;
    private final Sessions sessions;
    private final TrafficGate gate;
    private final ProxyMetrics metrics;
    private final Lifecycle lifecycle;
    private final StatsSnapshot statsSnapshot;

    public ProxyControl(ProxyConfig config, Pools pools, Sessions sessions, TrafficGate gate, ProxyStats stats,
                        ProxyMetrics metrics, Lifecycle lifecycle) {
        this.config = config;
        this.pools = pools;
        this.sessions = sessions;
        this.gate = gate;
        this.metrics = metrics;
        this.lifecycle = lifecycle;
        this.statsSnapshot = new StatsSnapshot(stats, pools, sessions);
    }

    @Override
    public List<PoolView> pools() {
        Map<BackendPool, Integer> pinned = new HashMap<>();
        for (ClientSession session : sessions.all()) {
            if (session.backend() != null && session.pin() != null) {
                pinned.merge(session.pool(), 1, Integer::sum);
            }
        }
        List<PoolView> views = new ArrayList<>();
        for (BackendPool pool : pools.all()) {
            PoolCounts counts = pool.counts();
            views.add(new PoolView(pool.key().address().toString(), pool.key().user(),
                    pool.key().shape().label(), counts.size(), counts.maxSize(), counts.leased(),
                    counts.idle(), pinned.getOrDefault(pool, 0), counts.waiting(),
                    TimeUnit.NANOSECONDS.toMillis(counts.longestWaitNanos()), counts.opened(), counts.closed(),
                    pool.statistics().statementsHeld()));
        }
        views.sort((a, b) -> (a.user() + a.wireShape()).compareTo(b.user() + b.wireShape()));
        return views;
    }

    @Override
    public List<ClientView> clients() {
        long now = System.nanoTime();
        List<ClientView> views = new ArrayList<>();
        for (ClientSession session : sessions.all()) {
            SessionActivity activity = session.activity();
            if (activity == SessionActivity.CLOSED) {
                continue;
            }
            BackendConnection held = session.backend();
            var hold = session.holdReason();
            views.add(new ClientView(session.id(), session.user(), session.address(), session.schema(),
                    activity.label(), hold == null || activity == SessionActivity.IN_TRANSACTION ? null
                    : hold.description(), TimeUnit.NANOSECONDS.toSeconds(now - session.stateSinceNanos()),
                    held == null ? -1 : held.id(), StatementDigest.of(session.lastStatement())));
        }
        views.sort((a, b) -> Long.compare(a.id(), b.id()));
        return views;
    }

    @Override
    public List<BackendView> backends() {
        long now = System.nanoTime();
        List<BackendView> views = new ArrayList<>();
        for (BackendPool pool : pools.all()) {
            for (ConnectionView connection : pool.connections()) {
                BackendConnection backend = connection.connection();
                views.add(new BackendView(backend.id(), pool.key().toString(), connection.state(),
                        TimeUnit.NANOSECONDS.toSeconds(now - connection.createdNanos()), connection.holderId(),
                        backend.commandsExecuted(), backend.serverThreadId()));
            }
        }
        views.sort((a, b) -> Long.compare(a.id(), b.id()));
        return views;
    }

    @Override
    public StatsView stats() {
        return statsSnapshot.take();
    }

    @Override
    public List<VariableView> variables() {
        return settings().describe().stream()
                .map(e -> new VariableView(e.name(), e.value(), e.dynamic(), e.description()))
                .collect(Collectors.toList());
    }

    @Override
    public List<UserView> users() {
        Map<String, List<String>> poolsByUser = new TreeMap<>();
        for (BackendPool pool : pools.all()) {
            poolsByUser.computeIfAbsent(pool.key().user(), u -> new ArrayList<>()).add(pool.key().toString());
        }
        List<UserView> views = new ArrayList<>();
        for (String user : new java.util.TreeSet<>(config.users().keySet())) {
            views.add(new UserView(user, settings().userMaxConnections(user), sessions.connections(user),
                    String.join(",", poolsByUser.getOrDefault(user, List.of()))));
        }
        return views;
    }

    @Override
    public VariableView setVariable(String name, String value) {
        try {
            settings().set(name.trim(), value);
        } catch (ConfigException e) {
            throw new ControlException(e.getMessage());
        }
        return variables().stream().filter(v -> v.name().equalsIgnoreCase(name.trim())).findFirst()
                .orElseThrow(() -> new ControlException("setting '" + name + "' vanished after it was set"));
    }

    @Override
    public boolean kill(long clientId) {
        ClientSession target = sessions.get(clientId);
        if (target == null) {
            return false;
        }
        log.info("admin: killing client {} ({}@{})", clientId, target.user(), target.address());
        SessionKills.killByAdmin(target);
        return true;
    }

    @Override
    public int killIdle(Duration idleFor) {
        long now = System.nanoTime();
        int killed = 0;
        for (ClientSession session : sessions.all()) {
            SessionActivity activity = session.activity();
            boolean idle = activity == SessionActivity.IDLE || activity == SessionActivity.IN_TRANSACTION
                    || activity == SessionActivity.PINNED;
            if (idle && now - session.stateSinceNanos() >= idleFor.toNanos()) {
                SessionKills.killByAdmin(session);
                killed++;
            }
        }
        log.info("admin: killed {} client(s) idle for {} s or more", killed, idleFor.toSeconds());
        return killed;
    }

    @Override
    public void pause() {
        gate.pause();
    }

    @Override
    public void resume() {
        gate.open();
    }

    @Override
    public ReloadResult reload() {
        ProxyConfig fresh;
        try {
            fresh = lifecycle.rereadConfig();
        } catch (ConfigException | com.typesafe.config.ConfigException e) {
            throw new ControlException("the configuration could not be read, nothing changed: " + e.getMessage());
        }
        Settings.Reload reload = settings().reloadFrom(fresh.settings());
        List<String> needRestart = new ArrayList<>(reload.needRestart());
        needRestart.addAll(config.restartNeededFor(fresh));
        log.info("RELOAD: applied {}, need a restart {}", reload.applied(), needRestart);
        return new ReloadResult(reload.applied(), needRestart);
    }

    @Override
    public void shutdown(boolean graceful) {
        lifecycle.shutdown(graceful);
    }

    @Override
    public Health health() {
        if (!lifecycle.isReady()) {
            return new Health(true, false, pools.health().problem());
        }
        if (gate.mode() == TrafficGate.Mode.DRAINING) {
            return new Health(true, false, "shutting down");
        }
        if (gate.mode() == TrafficGate.Mode.PAUSED) {
            return new Health(true, false, "paused by the admin (RESUME to go on)");
        }
        if (!pools.health().reachable()) {
            return new Health(true, false, pools.health().problem());
        }
        return new Health(true, true, "");
    }

    @Override
    public String prometheusText() {
        return metrics.scrape();
    }

    private Settings settings() {
        return config.settings();
    }
}
