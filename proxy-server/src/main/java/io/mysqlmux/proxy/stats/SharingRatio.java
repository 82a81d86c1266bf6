package io.mysqlmux.proxy.stats;

import io.mysqlmux.proxy.backend.Pools;
import io.mysqlmux.proxy.session.Sessions;

/**
 * The multiplexing figure: logged-in client sessions per open server connection. Hundreds means the
 * pool is shared well; near 1 means sharing has collapsed to one server connection per client
 * (pinned sessions, long transactions), the situation an operator must see at a glance.
 */
public final class SharingRatio {

    private SharingRatio() {
    }

    /** The ratio now; 0 while no server connection is open. */
    public static double now(Sessions sessions, Pools pools) {
        int servers = pools.connectionCount();
        return servers == 0 ? 0 : (double) sessions.count() / servers;
    }
}
