package io.mysqlmux.proxy.stats;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The proxy-wide counters operators know from the server's status variables ({@code
 * Threads_connected}, {@code Max_used_connections}, {@code Connection_errors_max_connections},
 * {@code Aborted_clients}, {@code Questions}, {@code Bytes_received} / {@code Bytes_sent}), counted
 * once here on the hot path with contention-free adders; SHOW STATS and the metrics registry read
 * the same numbers.
 */
public final class ProxyStats {
    private final AtomicInteger clientConnections = new AtomicInteger();
    private final AtomicInteger clientConnectionsPeak = new AtomicInteger();
    private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);
    private final LongAdder abortedClients = new LongAdder();
    private final LongAdder queries = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder bytesFromClients = new LongAdder();
    private final LongAdder bytesToClients = new LongAdder();
    private final LongAdder idleTimeouts = new LongAdder();
    private final LongAdder idleInTransactionTimeouts = new LongAdder();
    private final LongAdder oversizedPackets = new LongAdder();
    private final LongAdder leakWarnings = new LongAdder();
    private volatile StatsObserver observer = StatsObserver.NONE;
    /** Highest client-sessions-per-server-connection ratio sampled, as raw double bits. */
    private final java.util.concurrent.atomic.AtomicLong sharingPeakBits = new java.util.concurrent.atomic.AtomicLong();

    public ProxyStats() {
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, new LongAdder());
        }
    }

    /**
     * A client connection arrived; returns the count including it. The caller undoes it with
     * {@link #clientDisconnected()} whether or not it is let in.
     */
    public int clientConnected() {
        int now = clientConnections.incrementAndGet();
        clientConnectionsPeak.accumulateAndGet(now, Math::max);
        return now;
    }

    public void clientDisconnected() {
        clientConnections.decrementAndGet();
    }

    public void reject(RejectReason reason) {
        rejected.get(reason).increment();
    }

    /** A logged-in client went away without COM_QUIT. */
    public void aborted() {
        abortedClients.increment();
    }

    public void query() {
        queries.increment();
    }

    public void transactionEnded() {
        transactions.increment();
    }

    public void bytesFromClients(long bytes) {
        bytesFromClients.add(bytes);
    }

    public void bytesToClients(long bytes) {
        bytesToClients.add(bytes);
    }

    public void idleTimeout() {
        idleTimeouts.increment();
    }

    public void idleInTransactionTimeout() {
        idleInTransactionTimeouts.increment();
    }

    public void oversizedPacket() {
        oversizedPackets.increment();
    }

    public void leakWarning() {
        leakWarnings.increment();
    }

    /** Notes the sharing ratio now (client sessions per server connection), keeping the highest. */
    public void sampleSharing(double ratio) {
        long bits;
        do {
            bits = sharingPeakBits.get();
            if (Double.longBitsToDouble(bits) >= ratio) {
                return;
            }
        } while (!sharingPeakBits.compareAndSet(bits, Double.doubleToLongBits(ratio)));
    }

    public double sharingPeak() {
        return Double.longBitsToDouble(sharingPeakBits.get());
    }

    /** The metrics registry's hook for latencies and server error codes. */
    public void observe(StatsObserver observer) {
        this.observer = observer;
    }

    public void commandCompleted(long nanos) {
        observer.commandCompleted(nanos);
    }

    public void serverError(int code) {
        observer.serverError(code);
    }

    public int clientConnections() {
        return clientConnections.get();
    }

    public int clientConnectionsPeak() {
        return clientConnectionsPeak.get();
    }

    public long rejected(RejectReason reason) {
        return rejected.get(reason).sum();
    }

    public long abortedClients() {
        return abortedClients.sum();
    }

    public long queries() {
        return queries.sum();
    }

    public long transactions() {
        return transactions.sum();
    }

    public long bytesFromClients() {
        return bytesFromClients.sum();
    }

    public long bytesToClients() {
        return bytesToClients.sum();
    }

    public long idleTimeouts() {
        return idleTimeouts.sum();
    }

    public long idleInTransactionTimeouts() {
        return idleInTransactionTimeouts.sum();
    }

    public long oversizedPackets() {
        return oversizedPackets.sum();
    }

    public long leakWarnings() {
        return leakWarnings.sum();
    }
}
