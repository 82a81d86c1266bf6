package io.mysqlmux.protocol.command;

import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * COM_QUERY: {@code 0x03, str<EOF> statement} (without CLIENT_QUERY_ATTRIBUTES, which the proxy
 * never negotiates). The statement's bytes are in the connection's character set; the proxy only
 * writes ASCII-safe statements of its own and reads client statements as UTF-8 for logs and lexing.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html">COM_QUERY</a>
 */
public record ComQuery(String sql) {

    /** Reads from a payload that starts with the command byte. */
    public static ComQuery read(ByteBuf payload, Charset charset) {
        MysqlBuf.requireReadable(payload, 1, "COM_QUERY command byte");
        payload.skipBytes(1);
        return new ComQuery(MysqlBuf.readRestString(payload, charset));
    }

    public void write(ByteBuf out) {
        out.writeByte(CommandCode.COM_QUERY.code());
        out.writeBytes(sql.getBytes(StandardCharsets.UTF_8));
    }
}
