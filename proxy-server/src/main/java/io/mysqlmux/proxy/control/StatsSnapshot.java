package io.mysqlmux.proxy.control;

import io.mysqlmux.admin.StatsView;
import io.mysqlmux.proxy.pool.BackendPool;
import io.mysqlmux.proxy.pool.Pools;
import io.mysqlmux.proxy.session.Sessions;
import io.mysqlmux.proxy.session.PinReason;
import io.mysqlmux.proxy.stats.ProxyStats;
import io.mysqlmux.proxy.stats.RejectReason;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/** SHOW STATS: the proxy-wide counters, per-pool wait percentiles and the sharing figures, read now. */
final class StatsSnapshot {
    private static final double[] PERCENTILES = {50, 95, 99};

    private final ProxyStats stats;
    private final Pools pools;
    private final Sessions sessions;

    StatsSnapshot(ProxyStats stats, Pools pools, Sessions sessions) {
        this.stats = stats;
        this.pools = pools;
        this.sessions = sessions;
    }

    StatsView take() {
        Map<String, Long> rejected = new LinkedHashMap<>();
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason.label(), stats.rejected(reason));
        }
        long queueWaits = 0;
        long queueTimeouts = 0;
        Map<String, double[]> waits = new LinkedHashMap<>();
        for (BackendPool pool : pools.all()) {
            queueWaits += pool.statistics().queued();
            queueTimeouts += pool.statistics().timeouts();
            Histogram micros = pool.statistics().waitsMicros();
            if (micros.getTotalCount() > 0) {
                waits.put(pool.key().toString(), new double[] {millis(micros, PERCENTILES[0]),
                        millis(micros, PERCENTILES[1]), millis(micros, PERCENTILES[2]), micros.getMaxValue() / 1000.0});
            }
        }
        Map<String, Long> pinned = new LinkedHashMap<>();
        for (Map.Entry<PinReason, Long> entry : sessions.pinnedNow().entrySet()) {
            pinned.put(entry.getKey().label(), entry.getValue());
        }
        int serverConnections = pools.connectionCount();
        double sharing = pools.sharingRatio(sessions.count());
        stats.sampleSharing(sharing);
        return new StatsView(stats.clientConnections(), stats.clientConnectionsPeak(), serverConnections,
                pools.peakConnectionCount(), rejected, stats.abortedClients(), stats.queries(),
                stats.transactions(), queueWaits, queueTimeouts, stats.bytesFromClients(), stats.bytesToClients(),
                waits, sharing, stats.sharingPeak(), pinned);
    }

    private static double millis(Histogram micros, double percentile) {
        return micros.getValueAtPercentile(percentile) / 1000.0;
    }
}
