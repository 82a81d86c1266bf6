package io.mysqlmux.proxy.stats;

/**
 * Events that only the metrics registry wants as distributions or by label: command latency and
 * errors the server returned. The proxy's hot path calls these once per command.
 */
public interface StatsObserver {
    StatsObserver NONE = new StatsObserver() {
        @Override
        public void commandCompleted(long nanos) {
        }

        @Override
        public void serverError(int code) {
        }
    };

    /** A client command was answered, {@code nanos} after it was taken up. */
    void commandCompleted(long nanos);

    /** The server answered a client command with ERR {@code code}. */
    void serverError(int code);
}
