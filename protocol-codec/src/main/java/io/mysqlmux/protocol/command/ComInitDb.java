package io.mysqlmux.protocol.command;

import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * COM_INIT_DB: {@code 0x02, str<EOF> schema}. Answered with OK (the schema tracker reports the new
 * schema) or ERR 1049.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_init_db.html">COM_INIT_DB</a>
 */
public record ComInitDb(String schema) {

    public static ComInitDb read(ByteBuf payload) {
        MysqlBuf.requireReadable(payload, 1, "COM_INIT_DB command byte");
        payload.skipBytes(1);
        return new ComInitDb(MysqlBuf.readRestString(payload, StandardCharsets.UTF_8));
    }

    public void write(ByteBuf out) {
        out.writeByte(CommandCode.COM_INIT_DB.code());
        out.writeBytes(schema.getBytes(StandardCharsets.UTF_8));
    }
}
