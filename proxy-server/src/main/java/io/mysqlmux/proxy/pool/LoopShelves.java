package io.mysqlmux.proxy.pool;

import io.mysqlmux.proxy.backend.BackendConnection;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A pool's IDLE connections, one shelf per event loop, most recently used first. A session takes
 * from its own loop's shelf when it can (client and server connection then share a thread) and from
 * another loop's only when its own is empty. Touched only under the pool's lock.
 */
final class LoopShelves {
    /** How many idle connections a take looks through for a preferred one. */
    private static final int MATCH_SCAN_LIMIT = 16;

    private final Map<EventExecutor, ArrayDeque<PooledConnection>> byLoop;
    private int size;

    LoopShelves(EventLoopGroup group) {
        Map<EventExecutor, ArrayDeque<PooledConnection>> shelves = new IdentityHashMap<>();
        group.forEach(loop -> shelves.put(loop, new ArrayDeque<>()));
        this.byLoop = Collections.unmodifiableMap(shelves);
    }

    void put(PooledConnection pooled) {
        byLoop.get(pooled.home()).addFirst(pooled);
        size++;
    }

    /**
     * Takes one for a requester on {@code loop}: on that loop, the connection it used last or one
     * already in the state it wants (no sync needed), else the most recently used; then any other
     * loop's most recently used. Null when every shelf is empty.
     */
    PooledConnection take(EventExecutor loop, BackendConnection preferred, int wantedStateHash) {
        if (size == 0) {
            return null;
        }
        ArrayDeque<PooledConnection> own = byLoop.get(loop);
        if (own != null && !own.isEmpty()) {
            PooledConnection match = bestMatch(own, preferred, wantedStateHash);
            if (match != null) {
                own.removeFirstOccurrence(match);
            } else {
                match = own.pollFirst();
            }
            size--;
            return match;
        }
        for (ArrayDeque<PooledConnection> shelf : byLoop.values()) {
            PooledConnection other = shelf.pollFirst();
            if (other != null) {
                size--;
                return other;
            }
        }
        return null;
    }

    private static PooledConnection bestMatch(ArrayDeque<PooledConnection> shelf, BackendConnection preferred,
                                              int wantedStateHash) {
        PooledConnection sameState = null;
        int looked = 0;
        for (PooledConnection candidate : shelf) {
            if (preferred != null && candidate.connection() == preferred) {
                return candidate;
            }
            if (sameState == null && wantedStateHash != 0 && candidate.shelvedStateHash() == wantedStateHash) {
                sameState = candidate;
            }
            if (++looked == MATCH_SCAN_LIMIT) {
                break;
            }
        }
        return sameState;
    }

    /** Takes {@code pooled} off its shelf; false when it is not on one. */
    boolean remove(PooledConnection pooled) {
        if (byLoop.get(pooled.home()).removeFirstOccurrence(pooled)) {
            size--;
            return true;
        }
        return false;
    }

    /** Every idle connection, least recently used first (maintenance retires from that end). */
    List<PooledConnection> oldestFirst() {
        List<PooledConnection> all = new ArrayList<>(size);
        for (ArrayDeque<PooledConnection> shelf : byLoop.values()) {
            Iterator<PooledConnection> oldest = shelf.descendingIterator();
            while (oldest.hasNext()) {
                all.add(oldest.next());
            }
        }
        all.sort((a, b) -> Long.compare(a.shelvedAtNanos(), b.shelvedAtNanos()));
        return all;
    }

    int size() {
        return size;
    }
}
