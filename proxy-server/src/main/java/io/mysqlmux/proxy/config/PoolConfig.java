package io.mysqlmux.proxy.config;

import java.time.Duration;

/**
 * Limits of one backend pool.
 *
 * @param maxSize      most server connections the pool holds open
 * @param queueTimeout how long a command may wait for a free connection
 * @param queueMax     most commands waiting at once
 * @param preparedStatementsPerConnection statements one server connection keeps prepared (0 = automatic)
 */
public record PoolConfig(int maxSize, Duration queueTimeout, int queueMax, int preparedStatementsPerConnection) {
}
