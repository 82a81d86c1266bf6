package io.mysqlmux.protocol.handshake;

import io.mysqlmux.protocol.wire.Capability;

import java.util.Map;

/**
 * Who logged in and what was negotiated, as {@link ServerLogin} learned it.
 *
 * @param capabilities       the effective set: what the client sent AND what the greeting offered
 * @param clientCapabilities exactly what the client sent (for logs; some clients set bits never offered)
 * @param database           initial schema, or null
 * @param collation          the collation id from the handshake response
 */
public record LoginResult(String user, String database, Capability capabilities, Capability clientCapabilities,
                          int collation, int maxPacketSize, Map<String, String> connectAttributes) {
}
