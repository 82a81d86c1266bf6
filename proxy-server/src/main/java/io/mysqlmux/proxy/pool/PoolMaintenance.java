package io.mysqlmux.proxy.pool;

import io.mysqlmux.proxy.config.Setting;
import io.mysqlmux.proxy.pool.PooledConnection.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The periodic round over a pool's idle connections: retire those past their lifetime, idle beyond
 * {@code idle_timeout} (down to {@code min_idle}) or beyond a lowered {@code max_size}, then open
 * connections up to {@code min_idle} and for any waiter nobody is opening one for. Connections in
 * use are not touched: the pool retires them when they come back, so no transaction is cut.
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
        List<PooledConnection> retiring = new ArrayList<>();
        List<PooledConnection> toOpen;
        synchronized (pool.lock()) {
            int idle = pool.records().count(State.IDLE);
            for (PooledConnection pooled : pool.records().idleOldestFirst()) {
                String why = pool.records().liveSize() > maxSize ? "pool above max_size"
                        : lifetime.expired(pooled, now) ? "max_lifetime reached"
                        : idle > minIdle && lifetime.idleTooLong(pooled, now) ? "idle_timeout reached"
                        : null;
                if (why != null) {
                    log.debug("pool {}: closing idle {} ({})", pool.key(), pooled, why);
                    pool.records().moveTo(pooled, State.RETIRING);
                    retiring.add(pooled);
                    idle--;
                }
            }
            toOpen = pool.growth().planMinIdle();
        }
        retiring.forEach(pool.checks()::retire);
        pool.growth().open(toOpen);
    }

    /** Retires every idle connection (shutdown). */
    static void closeIdle(BackendPool pool) {
        List<PooledConnection> retiring;
        synchronized (pool.lock()) {
            retiring = pool.records().idleOldestFirst();
            retiring.forEach(pooled -> pool.records().moveTo(pooled, State.RETIRING));
        }
        retiring.forEach(pool.checks()::retire);
    }

    /** Retires one idle connection to make room for another pool under the global cap; false if none is idle. */
    static boolean retireOneIdle(BackendPool pool) {
        PooledConnection oldest;
        synchronized (pool.lock()) {
            List<PooledConnection> idle = pool.records().idleOldestFirst();
            if (idle.isEmpty()) {
                return false;
            }
            oldest = idle.get(0);
            pool.records().moveTo(oldest, State.RETIRING);
        }
        pool.checks().retire(oldest);
        return true;
    }
}
