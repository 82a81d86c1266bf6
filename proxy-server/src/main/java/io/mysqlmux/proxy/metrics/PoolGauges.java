package io.mysqlmux.proxy.metrics;

import io.mysqlmux.proxy.pool.BackendPool;
import io.mysqlmux.proxy.pool.PoolCounts;

/**
 * One pool's counts for its gauges: taken once per scrape (under the pool's lock, all at the same
 * moment) and reused by every gauge of that scrape, so that the states always add up to the size.
 */
final class PoolGauges {
    private static final long FRESH_NANOS = 200_000_000L;

    private final BackendPool pool;
    private PoolCounts counts;
    private long takenNanos;

    PoolGauges(BackendPool pool) {
        this.pool = pool;
    }

    synchronized PoolCounts get() {
        long now = System.nanoTime();
        if (counts == null || now - takenNanos >= FRESH_NANOS) {
            counts = pool.counts();
            takenNanos = now;
        }
        return counts;
    }
}
