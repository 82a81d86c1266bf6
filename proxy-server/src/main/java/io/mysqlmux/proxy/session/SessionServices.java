package io.mysqlmux.proxy.session;

import io.mysqlmux.proxy.pool.Pools;
import io.mysqlmux.proxy.backend.ServerInfo;
import io.mysqlmux.proxy.config.ConfiguredUsers;
import io.mysqlmux.proxy.config.ProxyConfig;
import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.config.Settings;
import io.mysqlmux.proxy.stats.ProxyStats;

import java.security.SecureRandom;

/**
 * What every client session shares: the pools, the users, the other sessions (for KILL), the
 * configuration, the counters, the timeouts' watchdog, the PAUSE/drain gate and a source of scrambles.
 */
public record SessionServices(ProxyConfig config, Pools pools, ConfiguredUsers users, Sessions sessions,
                              ProxyStats stats, SessionWatchdog watchdog, TrafficGate gate, SecureRandom random) {

    /** Known once any client could log in. */
    public ServerInfo serverInfo() {
        return pools.serverInfo().get();
    }

    public Settings settings() {
        return config.settings();
    }

    /**
     * The largest command a client may send: client.max_packet_size, or (0) the server's
     * max_allowed_packet once known; 0 = no limit yet.
     */
    public long maxPacketSize() {
        long configured = config.settings().value(Setting.CLIENT_MAX_PACKET_SIZE);
        if (configured > 0) {
            return configured;
        }
        return pools.serverInfo().isKnown() ? pools.serverInfo().get().maxAllowedPacket() : 0;
    }
}
