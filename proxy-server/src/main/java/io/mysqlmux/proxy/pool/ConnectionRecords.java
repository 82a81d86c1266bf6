package io.mysqlmux.proxy.pool;

import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.pool.PooledConnection.State;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every connection record of one pool and the one place where their states change (PgBouncer's
 * "each state is a list"): the counts are kept by {@link #moveTo} itself, and a connection is IDLE
 * exactly while it is on a shelf. Touched only under the pool's lock.
 */
final class ConnectionRecords {
    private final Set<PooledConnection> all = new LinkedHashSet<>();
    private final Map<State, Integer> counts = new EnumMap<>(State.class);
    private final LoopShelves shelves;

    ConnectionRecords(EventLoopGroup group) {
        this.shelves = new LoopShelves(group);
        for (State state : State.values()) {
            counts.put(state, 0);
        }
    }

    /** A new record, CONNECTING. */
    void add(PooledConnection pooled) {
        if (!all.add(pooled)) {
            throw new IllegalStateException(pooled + " is already in the pool");
        }
        counts.merge(State.CONNECTING, 1, Integer::sum);
    }

    /**
     * Moves a record to {@code next}. LEASED to LEASED is a hand-off from one holder straight to the next;
     * nothing leaves RETIRING but by {@link #forget}, and nothing goes back to CONNECTING.
     */
    void moveTo(PooledConnection pooled, State next) {
        State was = pooled.state();
        if (!all.contains(pooled)) {
            throw new IllegalStateException(pooled + ": " + next + " for a connection the pool no longer holds");
        }
        if (was == State.LEASED && next == State.LEASED) {
            return;
        }
        if (was == next || was == State.RETIRING || next == State.CONNECTING) {
            throw new IllegalStateException(pooled + ": " + was + " -> " + next + " is not a move a connection makes");
        }
        if (was == State.IDLE) {
            shelves.remove(pooled);
        }
        counts.merge(was, -1, Integer::sum);
        counts.merge(next, 1, Integer::sum);
        pooled.state(next);
        if (next == State.IDLE) {
            pooled.shelved(System.nanoTime());
            shelves.put(pooled);
        }
    }

    /** The record leaves the pool (its channel closed, or its connect failed); false if it already had. */
    boolean forget(PooledConnection pooled) {
        if (!all.remove(pooled)) {
            return false;
        }
        if (pooled.state() == State.IDLE) {
            shelves.remove(pooled);
        }
        counts.merge(pooled.state(), -1, Integer::sum);
        return true;
    }

    boolean holds(PooledConnection pooled) {
        return all.contains(pooled);
    }

    /**
     * Takes an IDLE connection for a requester on {@code loop} off its shelf (see {@link LoopShelves});
     * the caller moves it on at once. Null when none is idle.
     */
    PooledConnection takeIdle(EventExecutor loop, BackendConnection preferred, int wantedStateHash) {
        return shelves.take(loop, preferred, wantedStateHash);
    }

    /** The IDLE connections, least recently used first. */
    List<PooledConnection> idleOldestFirst() {
        return shelves.oldestFirst();
    }

    Iterable<PooledConnection> all() {
        return all;
    }

    /** Every connection that got as far as logging in, with its state and holder. */
    List<ConnectionView> views() {
        List<ConnectionView> views = new ArrayList<>(all.size());
        for (PooledConnection pooled : all) {
            if (pooled.connection() != null) {
                Lease lease = pooled.lease();
                views.add(new ConnectionView(pooled.connection(), pooled.state().name().toLowerCase(Locale.ROOT),
                        lease == null ? -1 : lease.holderId(), pooled.createdNanos()));
            }
        }
        return views;
    }

    int count(State state) {
        return counts.get(state);
    }

    /** Records that count against max_size: every state. */
    int size() {
        return all.size();
    }

    /** Records that will go on serving: all but those retiring. */
    int liveSize() {
        return all.size() - count(State.RETIRING);
    }
}
