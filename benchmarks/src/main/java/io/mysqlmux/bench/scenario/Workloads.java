package io.mysqlmux.bench.scenario;

import io.mysqlmux.bench.load.Workload;

/** The statements each scenario runs, sysbench-like where there is a sysbench equivalent. */
public final class Workloads {

    private Workloads() {
    }

    /** {@code oltp_point_select}: one primary-key SELECT per unit. */
    public static Workload pointSelect(int rows) {
        return (client, random) -> new String[] {"SELECT c FROM sbtest1 WHERE id=" + (random.nextInt(rows) + 1)};
    }

    /**
     * The control for the fairness figures: point selects, but each client first sets a user variable,
     * which pins its server connection to it for good (mysqlmux cannot move that state). With more
     * clients than the pool holds, the first {@code pool.max_size} clients keep being served and the
     * others wait out {@code queue_timeout} and get ERROR 1226: the report must show that.
     */
    public static Workload pinnedPointSelect(int rows) {
        java.util.Set<Integer> pinned = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Workload select = pointSelect(rows);
        return (client, random) -> pinned.add(client) ? new String[] {"SET @mysqlmux_bench_pin = " + client}
                : select.next(client, random);
    }

    /** A short read/write transaction: BEGIN, three point selects, one update, COMMIT. */
    public static Workload oltp(int rows) {
        return (client, random) -> new String[] {
            "BEGIN",
            "SELECT c FROM sbtest1 WHERE id=" + (random.nextInt(rows) + 1),
            "SELECT c FROM sbtest1 WHERE id=" + (random.nextInt(rows) + 1),
            "SELECT c FROM sbtest1 WHERE id=" + (random.nextInt(rows) + 1),
            "UPDATE sbtest1 SET k=k+1 WHERE id=" + (random.nextInt(rows) + 1),
            "COMMIT"};
    }

    /**
     * The storm's transaction: an increment of one of {@code rows} counters, so that the committed
     * total can be checked on the server afterwards.
     */
    public static Workload stormIncrement(int rows) {
        return (client, random) -> new String[] {
            "BEGIN",
            "UPDATE storm_counters SET n=n+1 WHERE id=" + (client % rows + 1),
            "COMMIT"};
    }
}
