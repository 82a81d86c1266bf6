package io.mysqlmux.proxy.session;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every logged-in client session by its connection id: how KILL finds its target, and what the
 * admin views and pin gauges read.
 */
public final class Sessions {
    private final ConcurrentHashMap<Long, ClientSession> byId = new ConcurrentHashMap<>();

    void add(ClientSession session) {
        byId.put(session.id(), session);
    }

    void remove(ClientSession session) {
        byId.remove(session.id(), session);
    }

    public ClientSession get(long id) {
        return byId.get(id);
    }

    public Collection<ClientSession> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public int count() {
        return byId.size();
    }
}
