package io.mysqlmux.proxy.session;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Every logged-in client session by its connection id: how KILL finds its target, and what the
 * admin views and pin gauges read.
 */
public final class Sessions {
    private final ConcurrentHashMap<Long, ClientSession> byId = new ConcurrentHashMap<>();
    private final AtomicLongArray pinsByReason = new AtomicLongArray(PinReason.values().length);

    void add(ClientSession session) {
        byId.put(session.id(), session);
    }

    void remove(ClientSession session) {
        byId.remove(session.id(), session);
    }

    public ClientSession get(long id) {
        return byId.get(id);
    }

    public Collection<ClientSession> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public int count() {
        return byId.size();
    }

    /** A session got pinned (counted once per pin, however long it lasts). */
    void pinned(PinReason reason) {
        pinsByReason.incrementAndGet(reason.ordinal());
    }

    /** Pins since start, by reason. */
    public Map<PinReason, Long> pinsSinceStart() {
        Map<PinReason, Long> pins = new EnumMap<>(PinReason.class);
        for (PinReason reason : PinReason.values()) {
            pins.put(reason, pinsByReason.get(reason.ordinal()));
        }
        return pins;
    }

    /** Sessions pinned right now, by reason. */
    public Map<PinReason, Long> pinnedNow() {
        Map<PinReason, Long> pinned = new EnumMap<>(PinReason.class);
        for (ClientSession session : byId.values()) {
            PinReason reason = session.pin();
            if (reason != null) {
                pinned.merge(reason, 1L, Long::sum);
            }
        }
        return pinned;
    }
}
