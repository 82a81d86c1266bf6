package io.mysqlmux.proxy.pool;

import io.mysqlmux.proxy.config.HostAndPort;

/**
 * What makes two server connections interchangeable: the server, the user they logged in as, and
 * the one negotiated flag the proxy cannot translate per lease. CLIENT_FOUND_ROWS changes what
 * "affected rows" means in every OK, and drivers differ in their default, so it splits pools;
 * everything else is reconciled per lease.
 */
public record PoolKey(HostAndPort address, String user, boolean foundRows) {

    @Override
    public String toString() {
        return user + "@" + address + (foundRows ? "/found_rows" : "");
    }
}
