package io.mysqlmux.proxy.metrics;

import io.mysqlmux.proxy.session.ClientSession;
import io.mysqlmux.proxy.session.PinReason;
import io.mysqlmux.proxy.session.SessionActivity;
import io.mysqlmux.proxy.session.Sessions;
import io.mysqlmux.proxy.stats.ProxyStats;

import java.util.EnumMap;
import java.util.Map;

/**
 * Client sessions counted by activity and by pin reason, for the gauges. One pass over the
 * sessions serves every gauge of a scrape: the counts are kept for a moment rather than recounted
 * per gauge.
 */
final class SessionCensus {
    private static final long FRESH_NANOS = 200_000_000L;

    private final Sessions sessions;
    private Map<SessionActivity, Integer> byActivity = new EnumMap<>(SessionActivity.class);
    private Map<PinReason, Integer> byPin = new EnumMap<>(PinReason.class);
    private int total;
    private long takenNanos = System.nanoTime() - 2 * FRESH_NANOS;

    SessionCensus(Sessions sessions) {
        this.sessions = sessions;
    }

    synchronized double count(ProxyMetrics.ClientState state, ProxyStats stats) {
        refresh();
        return switch (state) {
            case LOGGING_IN -> Math.max(0, stats.clientConnections() - total);
            case IDLE -> byActivity.getOrDefault(SessionActivity.IDLE, 0);
            case WAITING -> byActivity.getOrDefault(SessionActivity.WAITING, 0);
            case ACTIVE -> byActivity.getOrDefault(SessionActivity.ACTIVE, 0);
            case IN_TRANSACTION -> byActivity.getOrDefault(SessionActivity.IN_TRANSACTION, 0);
            case PINNED -> byActivity.getOrDefault(SessionActivity.PINNED, 0);
        };
    }

    synchronized double pinned(PinReason reason) {
        refresh();
        return byPin.getOrDefault(reason, 0);
    }

    private void refresh() {
        long now = System.nanoTime();
        if (now - takenNanos < FRESH_NANOS) {
            return;
        }
        Map<SessionActivity, Integer> activities = new EnumMap<>(SessionActivity.class);
        Map<PinReason, Integer> pins = new EnumMap<>(PinReason.class);
        int count = 0;
        for (ClientSession session : sessions.all()) {
            SessionActivity activity = session.activity();
            if (activity == SessionActivity.CLOSED) {
                continue;
            }
            count++;
            activities.merge(activity, 1, Integer::sum);
            PinReason pin = session.pin();
            if (pin != null) {
                pins.merge(pin, 1, Integer::sum);
            }
        }
        byActivity = activities;
        byPin = pins;
        total = count;
        takenNanos = now;
    }
}
