package io.mysqlmux.proxy.backend;

import io.mysqlmux.proxy.config.Setting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.List;

/**
 * The periodic round over a pool's idle connections: close those past their lifetime, idle beyond
 * {@code idle_timeout} (down to {@code min_idle}) or beyond a lowered {@code max_size}, then open
 * connections up to {@code min_idle}. Connections in use are not touched here: the pool retires
 * them when they come back, so no running transaction is cut.
 */
final class PoolMaintenance {
    private static final Logger log = LoggerFactory.getLogger(PoolMaintenance.class);

    private PoolMaintenance() {
    }

    static void run(BackendPool pool) {
        long now = System.nanoTime();
        ConnectionLifetime lifetime = pool.lifetime();
        int minIdle = pool.settings().intValue(Setting.POOL_MIN_IDLE);
        int maxSize = pool.settings().intValue(Setting.POOL_MAX_SIZE);
        int idle = pool.idleCount();
        // Oldest first: shelves keep the most recently used at the head.
        List<BackendConnection> candidates = pool.idleConnections();
        Collections.reverse(candidates);
        for (BackendConnection connection : candidates) {
            String why = pool.size() > maxSize ? "pool above max_size"
                    : lifetime.expired(connection, now) ? "max_lifetime reached"
                    : idle > minIdle && lifetime.idleTooLong(connection, now) ? "idle_timeout reached"
                    : null;
            if (why != null && pool.removeIdle(connection)) {
                log.debug("pool {}: closing idle {} ({})", pool.key(), connection, why);
                pool.retire(connection);
                idle--;
            }
        }
        int missing = minIdle - pool.idleCount();
        for (int i = 0; i < missing && pool.grow(); i++) {
            // each grow opens one connection, within max_size, max_connecting and the global cap
        }
        pool.growForWaiters();
    }
}
