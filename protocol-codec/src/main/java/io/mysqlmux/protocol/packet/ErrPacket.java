package io.mysqlmux.protocol.packet;

import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * ERR_Packet: {@code 0xFF, int<2> code, ['#', str<5> SQLSTATE], str<EOF> message}. Errors sent before
 * the capabilities are known (instead of a greeting) may lack the SQLSTATE; every driver checks for
 * the {@code '#'}. MariaDB uses code 0xFFFF for progress reports, which are not errors.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html">ERR_Packet</a>
 */
public record ErrPacket(int code, String sqlState, String message) {
    public static final int HEADER = 0xFF;
    /** MariaDB progress report (only with MARIADB_CLIENT_PROGRESS); the response goes on after it. */
    public static final int PROGRESS_CODE = 0xFFFF;
    private static final String UNKNOWN_STATE = "HY000";

    public static ErrPacket of(ErrorCode error, String message) {
        return new ErrPacket(error.code(), error.sqlState(), message);
    }

    public static ErrPacket read(ByteBuf payload) {
        MysqlBuf.requireReadable(payload, 3, "ERR header+code");
        payload.skipBytes(1);
        int code = payload.readUnsignedShortLE();
        String sqlState = UNKNOWN_STATE;
        if (payload.readableBytes() >= 6 && payload.getByte(payload.readerIndex()) == '#') {
            payload.skipBytes(1);
            sqlState = MysqlBuf.readUtf8(payload, 5);
        }
        String message = MysqlBuf.readRestString(payload, StandardCharsets.UTF_8);
        return new ErrPacket(code, sqlState, message);
    }

    /** Writes with the SQLSTATE marker when the peer speaks protocol 4.1 (or before capabilities are known). */
    public void write(ByteBuf out, Capability caps) {
        out.writeByte(HEADER).writeShortLE(code);
        if (caps == null || caps.has(Capability.CLIENT_PROTOCOL_41)) {
            out.writeByte('#').writeBytes(sqlState.getBytes(StandardCharsets.US_ASCII), 0, 5);
        }
        out.writeBytes(message.getBytes(StandardCharsets.UTF_8));
    }

    /** SQLSTATE class 08 makes drivers and pools throw the whole connection away. */
    public boolean isConnectionClass() {
        return sqlState.startsWith("08");
    }

    @Override
    public String toString() {
        return "ERROR " + code + " (" + sqlState + "): " + message;
    }
}
