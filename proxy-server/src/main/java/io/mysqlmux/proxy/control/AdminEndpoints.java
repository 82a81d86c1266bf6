package io.mysqlmux.proxy.control;

import io.mysqlmux.admin.ControlView;
import io.mysqlmux.admin.server.AdminServer;
import io.mysqlmux.admin.server.AdminSettings;
import io.mysqlmux.proxy.config.AdminConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/** The admin port and the HTTP endpoint of one proxy, started and stopped with it. */
public final class AdminEndpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminEndpoints.class);

    private final AdminConfig config;
    private final ControlView control;
    private AdminServer server;

    public AdminEndpoints(AdminConfig config, ControlView control) {
        this.config = config;
        this.control = control;
    }

    /** Binds what the configuration asks for; throws when an address is taken. */
    public void start(String serverVersion) {
        if (!config.adminPortEnabled()) {
            log.warn("no admin port: set admin.password (or MYSQLMUX_ADMIN_PASSWORD) to see and change the proxy"
                    + " live with any MySQL client");
        }
        if (!config.adminPortEnabled() && config.httpListen() == null) {
            return;
        }
        server = AdminServer.start(control, new AdminSettings(
                config.listen() == null ? null : config.listen().toSocketAddress(), config.user(), config.password(),
                config.maxConnections(), serverVersion,
                config.httpListen() == null ? null : config.httpListen().toSocketAddress()));
    }

    /** Where the admin port listens, or null when it is off. */
    public InetSocketAddress adminAddress() {
        return server == null ? null : server.adminAddress();
    }

    /** Where the HTTP endpoint listens, or null when it is off. */
    public InetSocketAddress httpAddress() {
        return server == null ? null : server.httpAddress();
    }

    /** For the ready log line. */
    public String describe() {
        return (adminAddress() == null ? "" : ", admin port " + adminAddress())
                + (httpAddress() == null ? "" : ", HTTP " + httpAddress());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
