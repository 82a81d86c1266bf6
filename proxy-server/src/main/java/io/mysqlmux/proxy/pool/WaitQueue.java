package io.mysqlmux.proxy.pool;

import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands waiting for one pool, oldest first: a doubly linked list through the waiters
 * themselves, so that a timeout or a departing client leaves from the middle in O(1) however long
 * the queue is. Touched only under the pool's lock.
 */
final class WaitQueue {
    private Waiter head;
    private Waiter tail;
    private int size;

    void add(Waiter waiter) {
        waiter.previous = tail;
        waiter.next = null;
        if (tail == null) {
            head = waiter;
        } else {
            tail.next = waiter;
        }
        tail = waiter;
        waiter.queued = true;
        size++;
    }

    /** The oldest waiter, taken out of the queue; null when none waits. */
    Waiter poll() {
        Waiter oldest = head;
        if (oldest != null) {
            remove(oldest);
        }
        return oldest;
    }

    /** Takes {@code waiter} out; false when it had already left (handed a connection, timed out, cancelled). */
    boolean remove(Waiter waiter) {
        if (!waiter.queued) {
            return false;
        }
        if (waiter.previous == null) {
            head = waiter.next;
        } else {
            waiter.previous.next = waiter.next;
        }
        if (waiter.next == null) {
            tail = waiter.previous;
        } else {
            waiter.next.previous = waiter.previous;
        }
        waiter.previous = null;
        waiter.next = null;
        waiter.queued = false;
        size--;
        return true;
    }

    /**
     * The waiter a connection homed on {@code loop} goes to: among the first {@code scan}, the first
     * on that loop that came at most {@code slackNanos} after the oldest, else the oldest. Taken out.
     */
    Waiter pollFor(EventExecutor loop, long slackNanos, int scan) {
        Waiter oldest = head;
        if (oldest == null || slackNanos <= 0 || oldest.requester().executor() == loop) {
            return poll();
        }
        Waiter candidate = oldest.next;
        for (int looked = 1; candidate != null && looked < scan; looked++, candidate = candidate.next) {
            if (candidate.enqueuedNanos() - oldest.enqueuedNanos() > slackNanos) {
                break;
            }
            if (candidate.requester().executor() == loop) {
                remove(candidate);
                return candidate;
            }
        }
        return poll();
    }

    /** Takes every waiter out, oldest first (they all fail at once: the server is unreachable). */
    List<Waiter> drain() {
        List<Waiter> drained = new ArrayList<>(size);
        Waiter waiter;
        while ((waiter = poll()) != null) {
            drained.add(waiter);
        }
        return drained;
    }

    Waiter oldest() {
        return head;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
