package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.wire.Capability;

/**
 * The negotiated flags a server connection must share with the client it serves, because no
 * rewriting of packets makes them equal:
 * <ul>
 *   <li>CLIENT_FOUND_ROWS changes what "affected rows" means in every OK;</li>
 *   <li>CLIENT_DEPRECATE_EOF changes where a result set ends. A client without it reads the
 *   status, warnings, MORE_RESULTS, PS_OUT_PARAMS and CURSOR_EXISTS of a result set from the EOF
 *   after its column definitions, which a DEPRECATE_EOF server never sends; a proxy could only make
 *   that EOF up, before knowing the values (mariadb-client-test test_basic_cursors,
 *   test_wl4435_3, test_bug15510).</li>
 * </ul>
 * Pools are split by both ({@code PoolKey}); a server connection logs in with exactly the client's choice.
 */
public record WireShape(boolean foundRows, boolean deprecateEof) {
    /** What Connector/J and MariaDB Connector/J negotiate: the shape of the proxy's first connection. */
    public static final WireShape DRIVER_DEFAULT = new WireShape(true, true);

    /** The shape a client negotiated with the proxy. */
    public static WireShape of(Capability clientCaps) {
        return new WireShape(clientCaps.has(Capability.CLIENT_FOUND_ROWS), clientCaps.isDeprecateEof());
    }

    /** The capability flags a server connection of this shape asks for, beside the proxy's own. */
    long capabilities() {
        return (foundRows ? Capability.CLIENT_FOUND_ROWS : 0) | (deprecateEof ? Capability.CLIENT_DEPRECATE_EOF : 0);
    }

    /**
     * For SHOW POOLS: what differs from a DEPRECATE_EOF client without FOUND_ROWS, e.g.
     * {@code found_rows}, {@code eof} (classic EOF packets), {@code found_rows,eof}, or {@code -}.
     */
    public String label() {
        if (foundRows) {
            return deprecateEof ? "found_rows" : "found_rows,eof";
        }
        return deprecateEof ? "-" : "eof";
    }
}
