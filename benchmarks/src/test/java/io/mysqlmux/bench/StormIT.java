package io.mysqlmux.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import io.mysqlmux.bench.scenario.StormComparison;
import io.mysqlmux.testing.EmbeddedMariaDb;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reason mysqlmux exists, as a test: a server with max_connections = 50 and 5,000 clients
 * that each run 20 short transactions with random think time. Straight at the server most of them
 * get ERROR 1040; through mysqlmux with a pool of 20 every one of them finishes, every transaction
 * is committed, and the server never sees more than 20 connections from the proxy.
 */
class StormIT {
    private static final int CLIENTS = 5_000;
    private static final int TRANSACTIONS = 20;
    private static final int POOL = 20;

    @Test
    void fiveThousandClientsOnFiftyServerSlots() throws Exception {
        long maxFds = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        long needed = 2L * CLIENTS + 500;
        assertTrue(maxFds >= needed, "the storm needs " + needed + " open files in this JVM (clients and the proxy's"
                + " side of each); this process may open " + maxFds + ". Raise it (ulimit -n " + needed + ") and rerun");

        // Commits are not flushed to disk one by one: the storm is about connections, not fsync speed.
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(EmbeddedMariaDb.Options.defaults().withMaxConnections(50)
                .withServerArg("--innodb-flush-log-at-trx-commit=2"))) {
            StormComparison.Result result = StormComparison.run(db, CLIENTS, TRANSACTIONS, Duration.ofMillis(50), POOL,
                    Duration.ofMinutes(4), System.out);
            System.out.println("StormIT: " + result.summary());

            long refused = result.direct().errors().getOrDefault(1040, 0L);
            assertTrue(refused > CLIENTS / 2, "directly, most clients get 1040 Too many connections: " + result.direct());
            assertTrue(result.direct().clientsFailed() > CLIENTS / 2, result.direct().toString());

            assertEquals(CLIENTS, result.proxy().clientsFinished(), "through mysqlmux every client finishes: "
                    + result.proxy());
            assertEquals(0, result.proxy().clientsFailed(), result.proxy().toString());
            assertEquals(0, result.proxy().errorCount(), "no client sees an error: " + result.proxy());
            assertEquals((long) CLIENTS * TRANSACTIONS, result.proxy().transactions());
            assertEquals((long) CLIENTS * TRANSACTIONS, result.committedThroughProxy(),
                    "every transaction is committed on the server");
            assertTrue(result.peakServerConnections() <= POOL, "the server saw at most the pool: "
                    + result.peakServerConnections());
        }
    }
}
