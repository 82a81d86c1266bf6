package io.mysqlmux.proxy.backend;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements prepared on one server connection, least recently used first, at most
 * {@code capacity}: statement ids are per connection, and every prepared statement counts against
 * the server's {@code max_prepared_stmt_count}. Touched only by whoever holds the connection.
 */
public final class ServerStatements {

    /** One statement on the server. {@code boundTypes}: the parameter types the server has for it, or null. */
    public static final class Entry {
        private final long serverId;
        private byte[] boundTypes;

        Entry(long serverId) {
            this.serverId = serverId;
        }

        public long serverId() {
            return serverId;
        }

        public byte[] boundTypes() {
            return boundTypes;
        }

        public void boundTypes(byte[] types) {
            this.boundTypes = types;
        }
    }

    private final LinkedHashMap<StatementKey, Entry> byKey = new LinkedHashMap<>(16, 0.75f, true);
    private final StatementCounts statistics;
    private int capacity;

    public ServerStatements(int capacity, StatementCounts statistics) {
        this.capacity = capacity;
        this.statistics = statistics;
    }

    /** The statement prepared for {@code key}, marked as just used; null when not prepared here. */
    public Entry get(StatementKey key) {
        return byKey.get(key);
    }

    /**
     * Records a statement the server just prepared. Returns the server ids that fall out of the
     * cache; the caller closes them on the server (COM_STMT_CLOSE needs no answer).
     */
    public List<Long> put(StatementKey key, long serverId) {
        Entry previous = byKey.put(key, new Entry(serverId));
        List<Long> evicted = new ArrayList<>(1);
        if (previous != null && previous.serverId != serverId) {
            evicted.add(previous.serverId);
        } else if (previous == null) {
            statistics.statementPrepared();
        }
        Iterator<Map.Entry<StatementKey, Entry>> eldest = byKey.entrySet().iterator();
        while (byKey.size() > capacity && eldest.hasNext()) {
            evicted.add(eldest.next().getValue().serverId);
            eldest.remove();
            statistics.statementEvicted();
        }
        return evicted;
    }

    /**
     * Makes room for one more statement before the server prepares it, so that the server never
     * holds more than the cap: returns the server ids of the least recently used ones to close first.
     */
    public List<Long> makeRoom() {
        List<Long> evicted = new ArrayList<>(1);
        Iterator<Map.Entry<StatementKey, Entry>> eldest = byKey.entrySet().iterator();
        while (byKey.size() >= capacity && eldest.hasNext()) {
            evicted.add(eldest.next().getValue().serverId);
            eldest.remove();
            statistics.statementEvicted();
        }
        return evicted;
    }

    /** Forgets a statement (closed, or invalid on the server); returns it or null. */
    public Entry remove(StatementKey key) {
        Entry removed = byKey.remove(key);
        if (removed != null) {
            statistics.statementsGone(1);
        }
        return removed;
    }

    /** The server dropped every statement (COM_RESET_CONNECTION, COM_CHANGE_USER, connection closed). */
    public void clear() {
        statistics.statementsGone(byKey.size());
        byKey.clear();
    }

    public int size() {
        return byKey.size();
    }
}
