package io.mysqlmux.proxy.pool;

/**
 * One pool's connections by state and its queue, all read at the same moment under the pool's lock.
 *
 * @param size             connections that count against max_size (every state)
 * @param longestWaitNanos how long the oldest waiting command has waited (0 when none waits)
 */
public record PoolCounts(int size, int maxSize, int connecting, int idle, int leased, int checking, int retiring,
                         int waiting, long longestWaitNanos, long opened, long closed) {
}
