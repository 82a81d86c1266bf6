package io.mysqlmux.bench.scenario;

/**
 * What a run reads besides its own counters: the server's process (CPU per query), and for the
 * mysqlmux target the proxy process (its queue, from /metrics). The relay's own process id is the
 * target's {@code pid}.
 *
 * @param serverPid the server's process on this machine, or 0
 * @param proxy     the mysqlmux process of this target, or null
 */
public record Probe(long serverPid, ProxyProcess proxy) {

    /** Readings at the start of a measured period. */
    Start start(long targetPid) {
        return new Start(ProcessCpu.Reading.of(targetPid, serverPid), proxy == null ? null : ProxyQueue.read(proxy));
    }

    record Start(ProcessCpu.Reading cpu, ProxyQueue queue) {
    }

    /** CPU per statement since {@code start}. */
    Measurement.Cpu cpu(Start start, long statements) {
        double[] perQuery = start.cpu().microsPerQuery(statements);
        return new Measurement.Cpu(perQuery[0], perQuery[1]);
    }

    /** The proxy's queue figures since {@code start}, or "". */
    String queue(Start start) {
        return proxy == null ? "" : ProxyQueue.since(start.queue(), proxy);
    }
}
