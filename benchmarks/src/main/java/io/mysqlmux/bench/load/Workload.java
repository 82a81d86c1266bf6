package io.mysqlmux.bench.load;

import java.util.concurrent.ThreadLocalRandom;

/**
 * What one client runs, one unit of work at a time: a transaction (several statements) or a single
 * statement. Latency is measured per unit, from its first statement sent to its last answer.
 */
@FunctionalInterface
public interface Workload {

    /** The statements of the next unit of work for client {@code clientIndex}. */
    String[] next(int clientIndex, ThreadLocalRandom random);
}
