package io.mysqlmux.protocol.handshake;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Protocol::AuthSwitchRequest: {@code 0xFE, str<NUL> plugin name, str<EOF> plugin data}. The server
 * sends it when it wants another method than the one the client used. A lone 0xFE is the pre-4.1
 * "old password" switch, which nobody should accept.
 *
 * @param pluginData for native and sha2 plugins: the 20-byte scramble followed by a NUL
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html">Protocol::AuthSwitchRequest</a>
 */
public record AuthSwitchRequest(String pluginName, byte[] pluginData) {
    public static final int HEADER = 0xFE;

    public static AuthSwitchRequest read(ByteBuf payload) {
        MysqlBuf.requireReadable(payload, 1, "AuthSwitchRequest header");
        payload.skipBytes(1);
        if (!payload.isReadable()) {
            throw new MalformedPacketException(
                    "AuthSwitchRequest: old-password switch (expected: a plugin name; mysql_old_password is not supported)");
        }
        String plugin = MysqlBuf.readNulString(payload, StandardCharsets.UTF_8);
        return new AuthSwitchRequest(plugin, MysqlBuf.readRestBytes(payload));
    }

    public void write(ByteBuf out) {
        out.writeByte(HEADER);
        MysqlBuf.writeNulString(out, pluginName, StandardCharsets.UTF_8);
        out.writeBytes(pluginData);
    }

    /** The scramble inside {@link #pluginData}, without the trailing NUL. */
    public byte[] scramble() {
        int length = pluginData.length;
        if (length > 0 && pluginData[length - 1] == 0) {
            length--;
        }
        return java.util.Arrays.copyOf(pluginData, length);
    }
}
