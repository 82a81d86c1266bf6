package io.mysqlmux.proxy.config;

/**
 * The operator's ways in: the admin port (MySQL protocol, a small statement language) and the HTTP
 * endpoint (Prometheus {@code /metrics}, Kubernetes {@code /health/live} and {@code /health/ready}).
 *
 * @param listen         admin port address, or null when no admin password is set (no admin port)
 * @param user           the one user the admin port accepts
 * @param password       its password (empty when the port is off)
 * @param maxConnections admin sessions at once, apart from max_client_connections
 * @param httpListen     HTTP endpoint address, or null when turned off
 */
public record AdminConfig(HostAndPort listen, String user, String password, int maxConnections,
                          HostAndPort httpListen) {

    public boolean adminPortEnabled() {
        return listen != null;
    }

    @Override
    public String toString() {
        return "AdminConfig[listen=" + listen + ", user=" + user + ", password=<hidden>, maxConnections="
                + maxConnections + ", httpListen=" + httpListen + "]";
    }
}
