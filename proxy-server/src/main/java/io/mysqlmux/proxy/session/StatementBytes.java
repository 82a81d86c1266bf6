package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.frame.Packets;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The text of a COM_QUERY as bytes, out of the command's frames (one, or several for a statement of
 * 16 MiB or more, whose headers are left out). One bulk copy: the lexer then reads an array.
 */
record StatementBytes(byte[] sql) {
    private static final int LOGGED_LENGTH = 120;

    static StatementBytes of(ByteBuf frames) {
        int index = frames.readerIndex();
        int total = 0;
        for (int i = index; i + Packets.HEADER_SIZE <= frames.writerIndex(); ) {
            int length = frames.getUnsignedMediumLE(i);
            total += length;
            i += Packets.HEADER_SIZE + length;
        }
        byte[] sql = new byte[Math.max(0, total - 1)];
        int written = 0;
        boolean first = true;
        for (int i = index; i + Packets.HEADER_SIZE <= frames.writerIndex(); ) {
            int length = frames.getUnsignedMediumLE(i);
            int skip = first ? 1 : 0;
            frames.getBytes(i + Packets.HEADER_SIZE + skip, sql, written, length - skip);
            written += length - skip;
            first = false;
            i += Packets.HEADER_SIZE + length;
        }
        return new StatementBytes(sql);
    }

    /** The start of the statement for logs and admin views (bytes shown as UTF-8). */
    String head() {
        int length = Math.min(sql.length, LOGGED_LENGTH);
        String text = new String(sql, 0, length, StandardCharsets.UTF_8);
        return sql.length > LOGGED_LENGTH ? text + "..." : text;
    }
}
