package io.mysqlmux.bench.scenario;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The queue as mysqlmux itself saw it over a measured period, from two readings of its
 * {@code /metrics}: commands that waited for a server connection, their mean wait, the longest wait
 * (Micrometer's max: over the last two minutes, so it may include the warm-up) and queue timeouts
 * (each one an ERROR 1226 to a client). Clients cannot see the queue; this is the other side of the
 * load generator's "max statement".
 */
public record ProxyQueue(double waits, double waitSeconds, double timeouts) {

    public static ProxyQueue read(ProxyProcess proxy) {
        try {
            String metrics = proxy.metrics();
            return new ProxyQueue(ProxyProcess.sum(metrics, "mysqlmux_pool_queue_wait_seconds_count", "pool="),
                    ProxyProcess.sum(metrics, "mysqlmux_pool_queue_wait_seconds_sum", "pool="),
                    ProxyProcess.sum(metrics, "mysqlmux_pool_queue_timeouts_total", "pool="));
        } catch (Exception e) {
            return null;
        }
    }

    /** {@code proxy queue: 401,850 waits, mean 3.38 ms, max 154 ms (last 2 min), 0 timeouts}, or "". */
    public static String since(ProxyQueue before, ProxyProcess proxy) {
        ProxyQueue after = read(proxy);
        if (before == null || after == null) {
            return "";
        }
        double waits = after.waits - before.waits;
        double mean = waits == 0 ? 0 : (after.waitSeconds - before.waitSeconds) / waits;
        return String.format(Locale.ROOT, "proxy queue: %,.0f waits, mean %.2f ms, max %,.0f ms (last 2 min), %,.0f timeouts",
                waits, mean * 1000, max(proxy) * 1000, after.timeouts - before.timeouts);
    }

    private static double max(ProxyProcess proxy) {
        try {
            Matcher m = Pattern.compile("(?m)^mysqlmux_pool_queue_wait_seconds_max\\{[^}]*\\} ([-0-9.eE+]+)$")
                    .matcher(proxy.metrics());
            double max = 0;
            while (m.find()) {
                max = Math.max(max, Double.parseDouble(m.group(1)));
            }
            return max;
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
