package io.mysqlmux.bench.scenario;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parsing what sysbench 1.0.20 printed (with per-thread.lua) on a starved run: 64 threads through
 * mysqlmux on a pool of 16, against a server with autocommit=0 (16 threads served, 48 waited out
 * queue_timeout, each got 1226 once and completed one event at the end).
 */
class SysbenchOutputTest {

    private static List<String> capture() throws IOException {
        try (InputStream in = SysbenchOutputTest.class.getResourceAsStream("sysbench-autocommit0.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void summaryFiguresAreRead() throws IOException {
        SysbenchRun.SysbenchOutput out = SysbenchRun.SysbenchOutput.parse(capture(), 0);
        assertEquals(190079, out.transactions());
        assertEquals(15782.65, out.tps(), 0.001);
        assertEquals(190079, out.queries());
        assertEquals(48, out.ignoredErrors());
        assertEquals(12.0426, out.seconds(), 1e-9);
        assertEquals(12036.79, out.maxMillis(), 1e-9);
        assertEquals(2.18, out.p95Millis(), 1e-9);
        assertEquals(2969.9844, out.eventsAvg(), 1e-9);
        assertEquals(6121.92, out.eventsStddev(), 1e-9);
        assertNull(out.failure());
    }

    @Test
    void perThreadLinesShowTheStarvedThreads() throws IOException {
        SysbenchRun.SysbenchOutput out = SysbenchRun.SysbenchOutput.parse(capture(), 0);
        assertEquals(64, out.events().length);
        assertEquals(Map.of(1226, 48L), out.errors());
        Fairness fairness = Fairness.of(out.events(), out.failed());
        assertEquals(1, fairness.min());
        assertEquals(0, fairness.zeroServed());
        assertEquals(48, fairness.starved());
        assertEquals(48, fairness.withErrors());
        assertEquals(2969.98, fairness.mean(), 0.01);
        assertTrue(fairness.problem().startsWith("48 of 64 clients got under a tenth of the mean"));
    }

    @Test
    void aFatalLineIsTheFailureAndItsCodeAnError() {
        SysbenchRun.SysbenchOutput out = SysbenchRun.SysbenchOutput.parse(List.of(
                "FATAL: unable to connect to MySQL server on host '127.0.0.1', port 14005, aborting...",
                "FATAL: error 1226: mysqlmux: no server connection became free within 2 ms",
                "FATAL: Thread initialization failed!"), 1);
        assertTrue(out.failure().startsWith("FATAL: unable to connect"));
        assertEquals(Map.of(1226, 1L), out.errors());
    }

    @Test
    void anEvenRunHasNoProblem() {
        assertNull(Fairness.of(new long[] {1855, 1890, 1928}, new long[3]).problem());
        assertEquals("1 of 3 clients served nothing", Fairness.of(new long[] {0, 1890, 1928}, null).problem());
    }
}
