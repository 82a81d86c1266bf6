package io.mysqlmux.proxy.pool;

import io.mysqlmux.proxy.backend.WireShape;
import io.mysqlmux.proxy.config.HostAndPort;

/**
 * What makes two server connections interchangeable: the server, the user they logged in as, and
 * the negotiated flags the proxy cannot translate per lease ({@link WireShape}: CLIENT_FOUND_ROWS,
 * CLIENT_DEPRECATE_EOF; drivers differ in both). Everything else is reconciled per lease.
 */
public record PoolKey(HostAndPort address, String user, WireShape shape) {

    @Override
    public String toString() {
        String label = shape.label();
        return user + "@" + address + (label.equals("-") ? "" : "/" + label);
    }
}
