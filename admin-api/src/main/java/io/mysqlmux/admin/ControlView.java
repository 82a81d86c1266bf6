package io.mysqlmux.admin;

import java.time.Duration;
import java.util.List;

/**
 * Everything the admin port and the HTTP endpoint may see of, and do to, a running proxy. The proxy
 * implements it (proxy-server's {@code ProxyControl}); this module never reaches into proxy
 * internals. Methods may be called from any thread and must not block for long: implementations
 * read concurrent counters or hop to the right event loop themselves.
 */
public interface ControlView {

    /** One row per backend pool ({@code SHOW POOLS}). */
    List<PoolView> pools();

    /** One row per client connection, logged in or not yet ({@code SHOW CLIENTS}, {@code SHOW PROCESSLIST}). */
    List<ClientView> clients();

    /** One row per server connection ({@code SHOW BACKENDS}). */
    List<BackendView> backends();

    /** Counters since start and figures right now ({@code SHOW STATS}). */
    StatsView stats();

    /** Every runtime setting with its current value ({@code SHOW VARIABLES}). */
    List<VariableView> variables();

    /** Configured users with their limits and current use ({@code SHOW USERS}). */
    List<UserView> users();

    /**
     * Changes one runtime setting ({@code SET name = value}); validates it and logs old and new value.
     *
     * @return the setting after the change
     * @throws ControlException when the name is unknown or the value not allowed (message says which and why)
     */
    VariableView setVariable(String name, String value);

    /**
     * Ends a client connection: it gets the error a killed client expects, and whatever server
     * connection it held is cleaned before reuse.
     *
     * @return false when no client has that id
     */
    boolean kill(long clientId);

    /** Ends every client idle for at least {@code idleFor}; returns how many. */
    int killIdle(Duration idleFor);

    /** Lets running transactions finish and holds new commands until {@link #resume()}. */
    void pause();

    void resume();

    /** Re-reads the configuration file and applies what can change live. */
    ReloadResult reload();

    /** Stops the proxy: at once, or (graceful) after running transactions finish. */
    void shutdown(boolean graceful);

    /** For Kubernetes probes. */
    Health health();

    /** Every metric in Prometheus text exposition format (for {@code GET /metrics}). */
    String prometheusText();
}
