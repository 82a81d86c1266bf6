package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.response.PacketKind;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the server answered to COM_STMT_PREPARE for a statement text, kept per pool: a client that
 * prepares text the pool has seen gets the answer from here without a server round trip (clients
 * that prepare, execute and close per query then cost one round trip, not three). The statement is
 * prepared on a server connection only when executed there. Bounded; stale entries (DDL changed the
 * statement's metadata) are dropped when the server says so.
 */
public final class StatementMetadataCache {
    private static final int MAX_ENTRIES = 4096;

    /**
     * @param packets the response's packets (headers included) in order: PREPARE_OK, then definitions
     * @param kinds   what each packet is, for the relay
     */
    public record Metadata(int parameters, int columns, List<byte[]> packets, List<PacketKind> kinds) {
    }

    private final ConcurrentHashMap<StatementKey, Metadata> byKey = new ConcurrentHashMap<>();

    public Metadata get(StatementKey key) {
        return byKey.get(key);
    }

    public void put(StatementKey key, Metadata metadata) {
        if (byKey.size() >= MAX_ENTRIES) {
            // Simple bound: statements that matter are prepared again and come straight back.
            byKey.clear();
        }
        byKey.put(key, metadata);
    }

    public void invalidate(StatementKey key) {
        byKey.remove(key);
    }
}
