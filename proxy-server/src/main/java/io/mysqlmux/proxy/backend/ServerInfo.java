package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.packet.SessionTrackSettings;
import io.mysqlmux.protocol.wire.Capability;

/**
 * What the proxy learned about the server from its first connection: the greeting clients must see
 * (drivers change behaviour by version string and capabilities) and the limits it enforces.
 *
 * @param serverVersion     the greeting's version string, announced to clients unchanged
 * @param capabilities      what the server offers
 * @param defaultCollation  the greeting's collation id
 * @param statusFlags       the greeting's status flags (autocommit)
 * @param maxAllowedPacket  {@code @@max_allowed_packet}
 * @param waitTimeoutSeconds {@code @@wait_timeout}
 * @param maxPreparedStmtCount {@code @@max_prepared_stmt_count}, shared by every client of the server
 * @param maxConnections    {@code @@max_connections}, shared by every client of the server
 * @param sessionTracking   the server's global {@code session_track_*} settings: what a new client
 *                          session tracks (the proxy's own connections track everything)
 */
public record ServerInfo(String serverVersion, Capability capabilities, int defaultCollation, int statusFlags,
                         CollationTable collations, long maxAllowedPacket, long waitTimeoutSeconds,
                         long maxPreparedStmtCount, long maxConnections, SessionTrackSettings sessionTracking) {

    public boolean isMariaDb() {
        return serverVersion.contains("MariaDB") || capabilities.isMariaDbExtended();
    }
}
