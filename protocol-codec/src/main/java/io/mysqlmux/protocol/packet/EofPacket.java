package io.mysqlmux.protocol.packet;

import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;

/**
 * EOF_Packet (classic): {@code 0xFE, int<2> warnings, int<2> status_flags} — warnings before status,
 * the opposite of OK. A payload starting with 0xFE is an EOF only when shorter than 9 bytes; under
 * CLIENT_DEPRECATE_EOF the 0xFE packet that ends rows is an OK instead.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_eof_packet.html">EOF_Packet</a>
 */
public record EofPacket(int warnings, int statusFlags) {
    public static final int HEADER = 0xFE;
    public static final int PAYLOAD_LENGTH = 5;

    public static EofPacket read(ByteBuf payload, Capability caps) {
        MysqlBuf.requireReadable(payload, 1, "EOF header");
        payload.skipBytes(1);
        if (!caps.has(Capability.CLIENT_PROTOCOL_41)) {
            return new EofPacket(0, 0);
        }
        MysqlBuf.requireReadable(payload, 4, "EOF warnings+status_flags");
        int warnings = payload.readUnsignedShortLE();
        int status = payload.readUnsignedShortLE();
        return new EofPacket(warnings, status);
    }

    public void write(ByteBuf out, Capability caps) {
        out.writeByte(HEADER);
        if (caps.has(Capability.CLIENT_PROTOCOL_41)) {
            out.writeShortLE(warnings).writeShortLE(statusFlags);
        }
    }
}
