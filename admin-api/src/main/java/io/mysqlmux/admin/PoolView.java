package io.mysqlmux.admin;

/**
 * One backend pool as {@code SHOW POOLS} lists it.
 *
 * @param backend           server address, {@code host:port}
 * @param user              the user its connections logged in as
 * @param wireShape         what splits pools: {@code -}, {@code found_rows}, {@code eof} (classic EOF
 *                          packets) or {@code found_rows,eof}
 * @param size              server connections open or being opened
 * @param maxSize           the pool's limit
 * @param active            connections lent to clients
 * @param idle              connections waiting on a shelf
 * @param pinned            connections held by sessions with unmovable state
 * @param waiting           commands waiting for a connection
 * @param longestWaitMillis how long the oldest waiting command has waited (0 when none)
 * @param opened            connections opened since start
 * @param closed            connections closed since start
 * @param preparedStatements server-side prepared statements held on its connections
 */
public record PoolView(String backend, String user, String wireShape, int size, int maxSize, int active, int idle,
                       int pinned, int waiting, long longestWaitMillis, long opened, long closed,
                       long preparedStatements) {
}
