package io.mysqlmux.protocol.handshake;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Protocol::HandshakeResponse41, the client's answer to the greeting. Optional fields follow the
 * capabilities the client sends (clients may set bits the server never offered; the effective set is
 * the intersection, computed by the caller).
 *
 * @param capabilities  as sent by the client, MariaDB extended bits included when it cleared bit 0
 * @param database      initial schema (CLIENT_CONNECT_WITH_DB), or null
 * @param authPluginName the plugin that produced {@code authResponse}, or "" without CLIENT_PLUGIN_AUTH
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html">Protocol::HandshakeResponse41</a>
 */
public record HandshakeResponse41(Capability capabilities, int maxPacketSize, int collation, String user,
                                  byte[] authResponse, String database, String authPluginName,
                                  Map<String, String> connectAttributes) {
    private static final int FILLER = 23;
    /** An SSLRequest is the first 32 bytes of a HandshakeResponse41 and nothing else. */
    public static final int SSL_REQUEST_LENGTH = 32;

    public static HandshakeResponse41 read(ByteBuf payload) {
        MysqlBuf.requireReadable(payload, 4 + 4 + 1 + FILLER, "capability_flags..filler");
        long caps = payload.readUnsignedIntLE();
        int maxPacketSize = payload.readIntLE();
        int collation = payload.readUnsignedByte();
        payload.skipBytes(FILLER - 4);
        long extended = payload.readUnsignedIntLE();
        if ((caps & Capability.CLIENT_MYSQL) == 0) {
            caps |= extended << 32;
        }
        Capability capabilities = Capability.of(caps);
        if (!capabilities.has(Capability.CLIENT_PROTOCOL_41)) {
            throw new MalformedPacketException("capability_flags: no CLIENT_PROTOCOL_41 (expected: a 4.1+ client)");
        }
        String user = MysqlBuf.readNulString(payload, StandardCharsets.UTF_8);
        byte[] auth = readAuthResponse(payload, capabilities);
        String database = null;
        if (capabilities.has(Capability.CLIENT_CONNECT_WITH_DB) && payload.isReadable()) {
            database = MysqlBuf.readNulString(payload, StandardCharsets.UTF_8);
        }
        String plugin = "";
        if (capabilities.has(Capability.CLIENT_PLUGIN_AUTH) && payload.isReadable()) {
            plugin = MysqlBuf.readNulString(payload, StandardCharsets.UTF_8);
        }
        Map<String, String> attributes = Collections.emptyMap();
        if (capabilities.has(Capability.CLIENT_CONNECT_ATTRS) && payload.isReadable()) {
            attributes = readAttributes(payload);
        }
        return new HandshakeResponse41(capabilities, maxPacketSize, collation, user, auth, database, plugin,
                attributes);
    }

    /** Writes the response; {@code capabilities} decides which optional fields are present. */
    public void write(ByteBuf out) {
        out.writeIntLE(capabilities.lowBits()).writeIntLE(maxPacketSize).writeByte(collation);
        out.writeZero(FILLER - 4);
        out.writeIntLE(capabilities.isMariaDbExtended() ? capabilities.extendedBits() : 0);
        MysqlBuf.writeNulString(out, user, StandardCharsets.UTF_8);
        if (capabilities.has(Capability.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            MysqlBuf.writeLenEncBytes(out, authResponse);
        } else {
            out.writeByte(authResponse.length).writeBytes(authResponse);
        }
        if (capabilities.has(Capability.CLIENT_CONNECT_WITH_DB)) {
            MysqlBuf.writeNulString(out, database == null ? "" : database, StandardCharsets.UTF_8);
        }
        if (capabilities.has(Capability.CLIENT_PLUGIN_AUTH)) {
            MysqlBuf.writeNulString(out, authPluginName, StandardCharsets.UTF_8);
        }
        if (capabilities.has(Capability.CLIENT_CONNECT_ATTRS)) {
            writeAttributes(out, connectAttributes);
        }
    }

    /** A first packet of exactly 32 bytes with CLIENT_SSL is an SSLRequest, not a response. */
    public static boolean isSslRequest(ByteBuf payload) {
        return payload.readableBytes() == SSL_REQUEST_LENGTH
                && (payload.getUnsignedIntLE(payload.readerIndex()) & Capability.CLIENT_SSL) != 0;
    }

    private static byte[] readAuthResponse(ByteBuf payload, Capability caps) {
        if (caps.has(Capability.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            return MysqlBuf.readLenEncBytes(payload);
        }
        if (caps.has(Capability.CLIENT_SECURE_CONNECTION)) {
            MysqlBuf.requireReadable(payload, 1, "auth_response_length");
            int length = payload.readUnsignedByte();
            MysqlBuf.requireReadable(payload, length, "auth_response");
            byte[] auth = new byte[length];
            payload.readBytes(auth);
            return auth;
        }
        return MysqlBuf.readNulBytes(payload);
    }

    private static Map<String, String> readAttributes(ByteBuf payload) {
        long total = MysqlBuf.readLenEncInt(payload);
        MysqlBuf.requireReadable(payload, total, "connection attributes");
        ByteBuf attrs = payload.readSlice((int) total);
        Map<String, String> map = new LinkedHashMap<>();
        while (attrs.isReadable()) {
            String key = MysqlBuf.readLenEncString(attrs, StandardCharsets.UTF_8);
            String value = MysqlBuf.readLenEncString(attrs, StandardCharsets.UTF_8);
            map.put(key, value);
        }
        return Collections.unmodifiableMap(map);
    }

    private static void writeAttributes(ByteBuf out, Map<String, String> attributes) {
        ByteBuf attrs = out.alloc().buffer();
        try {
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                MysqlBuf.writeLenEncString(attrs, e.getKey(), StandardCharsets.UTF_8);
                MysqlBuf.writeLenEncString(attrs, e.getValue(), StandardCharsets.UTF_8);
            }
            MysqlBuf.writeLenEncInt(out, attrs.readableBytes());
            out.writeBytes(attrs);
        } finally {
            attrs.release();
        }
    }
}
