package io.mysqlmux.admin.server;

import io.mysqlmux.admin.BackendView;
import io.mysqlmux.admin.ClientView;
import io.mysqlmux.admin.ControlException;
import io.mysqlmux.admin.ControlView;
import io.mysqlmux.admin.PoolView;
import io.mysqlmux.admin.ReloadResult;
import io.mysqlmux.admin.StatsView;
import io.mysqlmux.admin.UserView;
import io.mysqlmux.admin.VariableView;
import io.mysqlmux.admin.sql.AdminStatement;
import io.mysqlmux.admin.sql.AdminStatement.Assignment;
import io.mysqlmux.admin.sql.AdminStatement.SelectItem;
import io.mysqlmux.admin.sql.LikePattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs one parsed admin statement against the {@link ControlView} and says what to answer. Every
 * change an operator makes is logged with the admin connection's address.
 */
final class StatementExecutor {
    private static final Logger log = LoggerFactory.getLogger(StatementExecutor.class);

    /** Who runs the statements: for logs, USER() and CONNECTION_ID(). */
    record Caller(long connectionId, String user, String address, String serverVersion) {
    }

    private final ControlView control;
    private final Caller caller;
    /** Runs after the answer to SHUTDOWN has been flushed. */
    private Runnable afterReply;

    StatementExecutor(ControlView control, Caller caller) {
        this.control = control;
        this.caller = caller;
    }

    /** What to run once the answer is on its way (SHUTDOWN), or null. */
    Runnable takeAfterReply() {
        Runnable run = afterReply;
        afterReply = null;
        return run;
    }

    AdminResult execute(AdminStatement statement) {
        try {
            return run(statement);
        } catch (ControlException e) {
            return new AdminResult.Error(1105, "HY000", e.getMessage());
        }
    }

    private AdminResult run(AdminStatement statement) {
        if (statement instanceof AdminStatement.ShowPools) {
            return pools();
        } else if (statement instanceof AdminStatement.ShowClients s) {
            return s.processlist() ? processlist() : clients();
        } else if (statement instanceof AdminStatement.ShowBackends) {
            return backends();
        } else if (statement instanceof AdminStatement.ShowStats) {
            return stats();
        } else if (statement instanceof AdminStatement.ShowVariables s) {
            return variables(s.like());
        } else if (statement instanceof AdminStatement.ShowUsers) {
            return users();
        } else if (statement instanceof AdminStatement.ShowEmpty) {
            return new Rows("Level", "Code", "Message").build();
        } else if (statement instanceof AdminStatement.Set s) {
            return set(s.assignments());
        } else if (statement instanceof AdminStatement.Kill s) {
            return kill(s.clientId());
        } else if (statement instanceof AdminStatement.KillIdle s) {
            return killIdle(s.seconds());
        } else if (statement instanceof AdminStatement.Pause) {
            return pause();
        } else if (statement instanceof AdminStatement.Resume) {
            return resume();
        } else if (statement instanceof AdminStatement.Reload) {
            return reload();
        } else if (statement instanceof AdminStatement.Shutdown s) {
            return shutdown(s.graceful());
        } else if (statement instanceof AdminStatement.Help) {
            return help();
        } else if (statement instanceof AdminStatement.Use) {
            return new AdminResult.Ok(0, "");
        } else if (statement instanceof AdminStatement.Select s) {
            return select(s.items());
        }
        throw new IllegalArgumentException("no executor for " + statement);
    }

    private AdminResult pools() {
        Rows rows = new Rows("backend", "user", "wire_shape", "size#", "max_size#", "active#", "idle#", "pinned#",
                "waiting#", "longest_wait_ms#", "opened#", "closed#", "prepared_statements#");
        for (PoolView p : control.pools()) {
            rows.add(p.backend(), p.user(), p.wireShape(), p.size(), p.maxSize(), p.active(), p.idle(), p.pinned(),
                    p.waiting(), p.longestWaitMillis(), p.opened(), p.closed(), p.preparedStatements());
        }
        return rows.build();
    }

    private AdminResult clients() {
        Rows rows = new Rows("id#", "user", "address", "schema", "state", "pin_reason", "seconds_in_state#",
                "backend_id#", "last_statement");
        for (ClientView c : control.clients()) {
            rows.add(c.id(), c.user(), c.address(), c.schema(), c.state(), c.pinReason(), c.secondsInState(),
                    c.backendId() < 0 ? null : c.backendId(), c.lastStatement());
        }
        return rows.build();
    }

    /** The server's processlist columns, so tools that read SHOW PROCESSLIST work unchanged. */
    private AdminResult processlist() {
        Rows rows = new Rows("Id#", "User", "Host", "db", "Command", "Time#", "State", "Info");
        for (ClientView c : control.clients()) {
            boolean busy = c.state().equals("active") || c.state().equals("waiting");
            String state = c.pinReason() == null ? c.state() : c.state() + " (" + c.pinReason() + ")";
            rows.add(c.id(), c.user(), c.address(), c.schema(), busy ? "Query" : "Sleep", c.secondsInState(), state,
                    c.lastStatement());
        }
        return rows.build();
    }

    private AdminResult backends() {
        Rows rows = new Rows("id#", "pool", "state", "age_seconds#", "leased_to#", "statements_executed#",
                "server_thread_id#");
        for (BackendView b : control.backends()) {
            rows.add(b.id(), b.pool(), b.state(), b.ageSeconds(), b.leasedTo() < 0 ? null : b.leasedTo(),
                    b.statementsExecuted(), b.serverThreadId());
        }
        return rows.build();
    }

    private AdminResult stats() {
        StatsView s = control.stats();
        Rows rows = new Rows("name", "value");
        rows.add("client_connections", s.clientConnections());
        rows.add("client_connections_peak", s.clientConnectionsPeak());
        rows.add("server_connections", s.serverConnections());
        rows.add("server_connections_peak", s.serverConnectionsPeak());
        s.rejectedByReason().forEach((reason, count) -> rows.add("rejected." + reason, count));
        rows.add("aborted_clients", s.abortedClients());
        rows.add("queries", s.queries());
        rows.add("transactions", s.transactions());
        rows.add("queue_waits", s.queueWaits());
        rows.add("queue_timeouts", s.queueTimeouts());
        rows.add("bytes_from_clients", s.bytesFromClients());
        rows.add("bytes_to_clients", s.bytesToClients());
        String[] names = {"p50", "p95", "p99", "max"};
        s.waitPercentilesMillis().forEach((pool, values) -> {
            for (int i = 0; i < names.length && i < values.length; i++) {
                rows.add("wait_ms." + names[i] + "." + pool, values[i]);
            }
        });
        rows.add("sessions_per_server_connection", s.sessionsPerServerConnection());
        rows.add("sessions_per_server_connection_peak", s.sessionsPerServerConnectionPeak());
        s.pinnedByReason().forEach((reason, count) -> rows.add("pinned." + reason, count));
        return rows.build();
    }

    private AdminResult variables(String like) {
        LikePattern pattern = like == null ? null : new LikePattern(like);
        Rows rows = new Rows("variable_name", "value", "dynamic", "description");
        for (VariableView v : control.variables()) {
            if (pattern == null || pattern.matches(v.name())) {
                rows.add(v.name(), v.value(), v.dynamic() ? "YES" : "NO", v.description());
            }
        }
        return rows.build();
    }

    private AdminResult users() {
        Rows rows = new Rows("user", "max_connections#", "connections#", "pools");
        for (UserView u : control.users()) {
            rows.add(u.name(), u.maxConnections(), u.connections(), u.pools());
        }
        return rows.build();
    }

    /**
     * One assignment naming a proxy setting changes it; driver session SETs are accepted and do
     * nothing; anything else is an unknown variable.
     */
    private AdminResult set(List<Assignment> assignments) {
        List<VariableView> settings = control.variables();
        for (Assignment assignment : assignments) {
            VariableView setting = find(settings, DriverVariables.bareName(assignment.name()));
            if (setting == null) {
                continue;
            }
            if (assignments.size() > 1) {
                return new AdminResult.Error(1064, "42000", "SET of a mysqlmux setting takes one setting at a time ("
                        + setting.name() + " was one of " + assignments.size() + ")");
            }
            return setSetting(setting, assignment.value());
        }
        for (Assignment assignment : assignments) {
            String bare = DriverVariables.bareName(assignment.name());
            if (!DriverVariables.isSessionSetting(bare, assignment.scoped())) {
                return new AdminResult.Error(1193, "HY000", "Unknown system variable '" + assignment.name()
                        + "': SHOW VARIABLES lists the mysqlmux settings SET can change");
            }
        }
        return new AdminResult.Ok(0, "");
    }

    private AdminResult setSetting(VariableView setting, String value) {
        if (value == null) {
            return new AdminResult.Error(1231, "42000", "Variable '" + setting.name() + "' can't be set to an"
                    + " expression: give a number, a duration such as 10s, or a size such as 64M");
        }
        if (!setting.dynamic()) {
            return new AdminResult.Error(1238, "HY000", "Variable '" + setting.name() + "' is a read only variable:"
                    + " change it in the configuration file and restart");
        }
        VariableView after;
        try {
            after = control.setVariable(setting.name(), value);
        } catch (ControlException e) {
            return new AdminResult.Error(1231, "42000", "Variable '" + setting.name() + "' can't be set to the value"
                    + " of '" + value + "': " + e.getMessage());
        }
        String change = setting.name() + ": " + setting.value() + " -> " + after.value();
        log.info("admin {} from {}: SET {}", caller.user(), caller.address(), change);
        return new AdminResult.Ok(0, change);
    }

    private static VariableView find(List<VariableView> settings, String name) {
        for (VariableView v : settings) {
            if (v.name().equalsIgnoreCase(name)) {
                return v;
            }
        }
        return null;
    }

    private AdminResult kill(long clientId) {
        if (!control.kill(clientId)) {
            return new AdminResult.Error(1094, "HY000", "Unknown thread id: " + clientId
                    + " (SHOW CLIENTS lists the client ids)");
        }
        log.info("admin {} from {}: KILL {}", caller.user(), caller.address(), clientId);
        return new AdminResult.Ok(1, "");
    }

    private AdminResult killIdle(long seconds) {
        int killed = control.killIdle(Duration.ofSeconds(seconds));
        log.info("admin {} from {}: KILL IDLE {} ended {} client(s)", caller.user(), caller.address(), seconds, killed);
        return new AdminResult.Ok(killed, killed + " client(s) idle for " + seconds + " s or more ended");
    }

    private AdminResult pause() {
        control.pause();
        log.info("admin {} from {}: PAUSE", caller.user(), caller.address());
        return new AdminResult.Ok(0, "paused: commands that need a server connection wait until RESUME");
    }

    private AdminResult resume() {
        control.resume();
        log.info("admin {} from {}: RESUME", caller.user(), caller.address());
        return new AdminResult.Ok(0, "resumed");
    }

    private AdminResult reload() {
        ReloadResult result = control.reload();
        log.info("admin {} from {}: RELOAD applied {}, needs restart {}", caller.user(), caller.address(),
                result.applied(), result.needRestart());
        Rows rows = new Rows("change", "status");
        result.applied().forEach(change -> rows.add(change, "applied"));
        result.needRestart().forEach(change -> rows.add(change, "needs restart"));
        return rows.build();
    }

    private AdminResult shutdown(boolean graceful) {
        log.info("admin {} from {}: SHUTDOWN{}", caller.user(), caller.address(), graceful ? " GRACEFUL" : "");
        afterReply = () -> control.shutdown(graceful);
        return new AdminResult.Ok(0, graceful ? "shutting down once open transactions finish" : "shutting down");
    }

    private AdminResult help() {
        Rows rows = new Rows("statement", "description");
        rows.add("SHOW POOLS", "per pool: size, limit, active, idle, pinned, waiting, longest wait, opened/closed");
        rows.add("SHOW CLIENTS | SHOW [FULL] PROCESSLIST", "every client: state, time in it, server connection, last statement");
        rows.add("SHOW BACKENDS", "every server connection: pool, state, age, holder, statements run");
        rows.add("SHOW STATS", "counters: connections, rejections, queries, queue waits, bytes, sharing, pins");
        rows.add("SHOW VARIABLES [LIKE 'pattern']", "every setting with its value and whether SET can change it");
        rows.add("SET <setting> = <value>", "change a setting now, e.g. SET pool.max_size = 30, SET client.idle_timeout = 10m");
        rows.add("SHOW USERS", "configured users with their connection limit and use");
        rows.add("KILL <client id>", "end a client connection (its running statement is stopped first)");
        rows.add("KILL IDLE <seconds>", "end every client idle at least that long");
        rows.add("PAUSE | RESUME", "hold commands that need a server connection (open transactions finish) | go on");
        rows.add("RELOAD", "re-read the configuration file; apply what can change live, list what needs a restart");
        rows.add("SHUTDOWN [GRACEFUL]", "stop the proxy at once, or after open transactions finish");
        return rows.build();
    }

    /** A driver's SELECT @@x, f(), literal: one row, values from {@link DriverVariables} or the caller. */
    private AdminResult select(List<SelectItem> items) {
        List<VariableView> settings = null;
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (SelectItem item : items) {
            columns.add(item.label());
            String value;
            switch (item.kind()) {
                case VARIABLE -> {
                    String bare = DriverVariables.bareName(item.value());
                    settings = settings == null ? control.variables() : settings;
                    VariableView setting = find(settings, bare);
                    value = setting != null ? setting.value() : DriverVariables.value(bare, caller.serverVersion());
                }
                case FUNCTION -> {
                    String function = item.value().toUpperCase(Locale.ROOT);
                    switch (function) {
                        case "DATABASE", "SCHEMA" -> value = null;
                        case "USER", "CURRENT_USER", "SESSION_USER", "SYSTEM_USER" -> value = caller.user() + "@"
                                + caller.address().replaceFirst(":\\d+$", "");
                        case "VERSION" -> value = caller.serverVersion();
                        case "CONNECTION_ID" -> value = Long.toString(caller.connectionId());
                        case "NOW", "CURRENT_TIMESTAMP", "SYSDATE" -> value = LocalDateTime.now()
                                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
                        case "LAST_INSERT_ID", "ROW_COUNT", "FOUND_ROWS" -> value = "0";
                        default -> {
                            return new AdminResult.Error(1305, "42000", "FUNCTION " + item.value()
                                    + " does not exist on the mysqlmux admin port; HELP lists the statements");
                        }
                    }
                }
                case NULL -> value = null;
                default -> value = item.value();
            }
            values.add(value);
        }
        Rows rows = new Rows(columns.toArray(new String[0]));
        rows.add(values.toArray());
        return rows.build();
    }

    /** Builds a result set; a column name ending in {@code #} is numeric (the mark is dropped). */
    private static final class Rows {
        private final List<String> columns = new ArrayList<>();
        private final boolean[] numeric;
        private final List<List<String>> rows = new ArrayList<>();

        Rows(String... names) {
            numeric = new boolean[names.length];
            for (int i = 0; i < names.length; i++) {
                numeric[i] = names[i].endsWith("#");
                columns.add(numeric[i] ? names[i].substring(0, names[i].length() - 1) : names[i]);
            }
        }

        void add(Object... values) {
            List<String> row = new ArrayList<>(values.length);
            for (Object value : values) {
                row.add(text(value));
            }
            rows.add(row);
        }

        AdminResult.Rows build() {
            return new AdminResult.Rows(List.copyOf(columns), numeric, rows);
        }

        private static String text(Object value) {
            if (value == null) {
                return null;
            }
            if (value instanceof Double d) {
                return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString(d.longValue())
                        : String.format(Locale.ROOT, "%.3f", d);
            }
            return value.toString();
        }
    }
}
