package io.mysqlmux.protocol.command;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;

/**
 * COM_SET_OPTION: {@code 0x1B, int<2> option} — 0 turns multi-statements on, 1 turns them off. The
 * answer is an EOF (a 0xFE OK under CLIENT_DEPRECATE_EOF) or ERR.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_set_option.html">COM_SET_OPTION</a>
 */
public record ComSetOption(boolean multiStatements) {
    public static final int MYSQL_OPTION_MULTI_STATEMENTS_ON = 0;
    public static final int MYSQL_OPTION_MULTI_STATEMENTS_OFF = 1;

    public static ComSetOption read(ByteBuf payload) {
        MysqlBuf.requireReadable(payload, 3, "COM_SET_OPTION option");
        payload.skipBytes(1);
        int option = payload.readUnsignedShortLE();
        if (option != MYSQL_OPTION_MULTI_STATEMENTS_ON && option != MYSQL_OPTION_MULTI_STATEMENTS_OFF) {
            throw new MalformedPacketException("COM_SET_OPTION option: " + option + " (expected: 0 or 1)", payload);
        }
        return new ComSetOption(option == MYSQL_OPTION_MULTI_STATEMENTS_ON);
    }

    public void write(ByteBuf out) {
        out.writeByte(CommandCode.COM_SET_OPTION.code());
        out.writeShortLE(multiStatements ? MYSQL_OPTION_MULTI_STATEMENTS_ON : MYSQL_OPTION_MULTI_STATEMENTS_OFF);
    }
}
