package io.mysqlmux.proxy.control;

import io.mysqlmux.admin.ControlView;
import io.mysqlmux.proxy.config.AdminConfig;

import java.net.InetSocketAddress;

/** The admin port and the HTTP endpoint of one proxy, started and stopped with it. */
public final class AdminEndpoints implements AutoCloseable {
    private final AdminConfig config;
    private final ControlView control;

    public AdminEndpoints(AdminConfig config, ControlView control) {
        this.config = config;
        this.control = control;
    }

    public void start(String serverVersion) {
        // wired to the admin module's AdminServer and HttpEndpoint (issue 6)
    }

    /** Where the admin port listens, or null when it is off. */
    public InetSocketAddress adminAddress() {
        return null;
    }

    /** Where the HTTP endpoint listens, or null when it is off. */
    public InetSocketAddress httpAddress() {
        return null;
    }

    /** For the ready log line. */
    public String describe() {
        return "";
    }

    @Override
    public void close() {
    }
}
