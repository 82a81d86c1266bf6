package io.mysqlmux.proxy.session;

import io.mysqlmux.proxy.pool.BackendPool;
import io.mysqlmux.proxy.pool.HolderCensus;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Every logged-in client session by its connection id: how KILL finds its target, what the admin
 * views and pin gauges read, and each user's count of client connections (its max_connections).
 */
public final class Sessions implements HolderCensus {
    private final ConcurrentHashMap<Long, ClientSession> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> byUser = new ConcurrentHashMap<>();
    private final AtomicLongArray pinsByReason = new AtomicLongArray(PinReason.values().length);

    /**
     * Counts one more connection for {@code user} unless it already has {@code limit} (0 = no limit).
     * A session admitted here gives its place back when it is removed.
     */
    public boolean admit(String user, int limit) {
        AtomicInteger count = byUser.computeIfAbsent(user, u -> new AtomicInteger());
        int current;
        do {
            current = count.get();
            if (limit > 0 && current >= limit) {
                return false;
            }
        } while (!count.compareAndSet(current, current + 1));
        return true;
    }

    /** COM_CHANGE_USER: the connection moves from one user's count to the other's, if it has room. */
    boolean changeUser(String from, String to, int limit) {
        if (from.equals(to)) {
            return true;
        }
        if (!admit(to, limit)) {
            return false;
        }
        byUser.get(from).decrementAndGet();
        return true;
    }

    /** Client connections of {@code user} now. */
    public int connections(String user) {
        AtomicInteger count = byUser.get(user);
        return count == null ? 0 : count.get();
    }

    void add(ClientSession session) {
        byId.put(session.id(), session);
    }

    void remove(ClientSession session) {
        if (byId.remove(session.id(), session)) {
            byUser.get(session.user()).decrementAndGet();
        }
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

    @Override
    public Holders of(BackendPool pool) {
        int running = 0;
        int inTransaction = 0;
        int pinned = 0;
        for (ClientSession session : byId.values()) {
            if (session.pool() != pool || session.backend() == null) {
                continue;
            }
            switch (session.activity()) {
                case IN_TRANSACTION -> inTransaction++;
                case PINNED -> pinned++;
                case ACTIVE -> running++;
                default -> { }
            }
        }
        return new Holders(running, inTransaction, pinned);
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
