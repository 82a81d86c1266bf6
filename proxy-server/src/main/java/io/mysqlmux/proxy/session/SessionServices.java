package io.mysqlmux.proxy.session;

import io.mysqlmux.proxy.backend.Pools;
import io.mysqlmux.proxy.backend.ServerInfo;
import io.mysqlmux.proxy.config.ConfiguredUsers;
import io.mysqlmux.proxy.config.ProxyConfig;

import java.security.SecureRandom;

/**
 * What every client session shares: the pools, the users, the other sessions (for KILL), the
 * configuration and a source of scrambles.
 */
public record SessionServices(ProxyConfig config, Pools pools, ConfiguredUsers users, Sessions sessions,
                              SecureRandom random) {

    /** Known once any client could log in. */
    public ServerInfo serverInfo() {
        return pools.serverInfo().get();
    }
}
