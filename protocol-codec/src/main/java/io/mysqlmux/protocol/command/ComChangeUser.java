package io.mysqlmux.protocol.command;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * COM_CHANGE_USER: log in again on the same connection, as the same or another user; the session is
 * reset as by COM_RESET_CONNECTION. The optional tail (collation, plugin, attributes) is present
 * when the sender has more to say.
 *
 * <pre>
 * 0x11, str&lt;NUL&gt; user, int&lt;1&gt; auth length + auth (SECURE_CONNECTION), str&lt;NUL&gt; schema,
 * [int&lt;2&gt; collation, str&lt;NUL&gt; plugin (PLUGIN_AUTH), int&lt;lenenc&gt; + attributes (CONNECT_ATTRS)]
 * </pre>
 *
 * @param collation collation id, or -1 when the packet has none
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_change_user.html">COM_CHANGE_USER</a>
 */
public record ComChangeUser(String user, byte[] authResponse, String schema, int collation, String authPluginName,
                            Map<String, String> connectAttributes) {

    /** Reads from a payload that starts with the command byte, laid out for {@code caps}. */
    public static ComChangeUser read(ByteBuf payload, Capability caps) {
        MysqlBuf.requireReadable(payload, 2, "COM_CHANGE_USER");
        payload.skipBytes(1);
        String user = MysqlBuf.readNulString(payload, StandardCharsets.UTF_8);
        byte[] auth;
        if (caps.has(Capability.CLIENT_SECURE_CONNECTION)) {
            MysqlBuf.requireReadable(payload, 1, "COM_CHANGE_USER auth length");
            int length = payload.readUnsignedByte();
            MysqlBuf.requireReadable(payload, length, "COM_CHANGE_USER auth response");
            auth = new byte[length];
            payload.readBytes(auth);
        } else {
            auth = MysqlBuf.readNulBytes(payload);
        }
        String schema = payload.isReadable() ? MysqlBuf.readNulString(payload, StandardCharsets.UTF_8) : "";
        int collation = -1;
        String plugin = "";
        Map<String, String> attributes = Collections.emptyMap();
        if (payload.readableBytes() >= 2) {
            collation = payload.readUnsignedShortLE();
            if (caps.has(Capability.CLIENT_PLUGIN_AUTH) && payload.isReadable()) {
                plugin = MysqlBuf.readNulString(payload, StandardCharsets.UTF_8);
            }
            if (caps.has(Capability.CLIENT_CONNECT_ATTRS) && payload.isReadable()) {
                attributes = readAttributes(payload);
            }
        }
        return new ComChangeUser(user, auth, schema.isEmpty() ? null : schema, collation, plugin, attributes);
    }

    /** Writes the whole packet payload (command byte included), laid out for {@code caps}. */
    public void write(ByteBuf out, Capability caps) {
        out.writeByte(CommandCode.COM_CHANGE_USER.code());
        MysqlBuf.writeNulString(out, user, StandardCharsets.UTF_8);
        if (authResponse.length > 255) {
            throw new MalformedPacketException("COM_CHANGE_USER auth response: " + authResponse.length
                    + " bytes (expected: at most 255)");
        }
        out.writeByte(authResponse.length).writeBytes(authResponse);
        MysqlBuf.writeNulString(out, schema == null ? "" : schema, StandardCharsets.UTF_8);
        out.writeShortLE(Math.max(collation, 0));
        if (caps.has(Capability.CLIENT_PLUGIN_AUTH)) {
            MysqlBuf.writeNulString(out, authPluginName, StandardCharsets.UTF_8);
        }
        if (caps.has(Capability.CLIENT_CONNECT_ATTRS)) {
            ByteBuf attrs = out.alloc().buffer();
            try {
                connectAttributes.forEach((k, v) -> {
                    MysqlBuf.writeLenEncString(attrs, k, StandardCharsets.UTF_8);
                    MysqlBuf.writeLenEncString(attrs, v, StandardCharsets.UTF_8);
                });
                MysqlBuf.writeLenEncInt(out, attrs.readableBytes());
                out.writeBytes(attrs);
            } finally {
                attrs.release();
            }
        }
    }

    private static Map<String, String> readAttributes(ByteBuf payload) {
        long total = MysqlBuf.readLenEncInt(payload);
        MysqlBuf.requireReadable(payload, total, "COM_CHANGE_USER attributes");
        ByteBuf attrs = payload.readSlice((int) total);
        Map<String, String> map = new LinkedHashMap<>();
        while (attrs.isReadable()) {
            map.put(MysqlBuf.readLenEncString(attrs, StandardCharsets.UTF_8),
                    MysqlBuf.readLenEncString(attrs, StandardCharsets.UTF_8));
        }
        return Collections.unmodifiableMap(map);
    }
}
