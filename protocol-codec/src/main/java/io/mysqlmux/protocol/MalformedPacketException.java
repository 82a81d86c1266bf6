package io.mysqlmux.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * A packet that does not follow the protocol. The message names the field, the value and what was
 * expected ({@code "status_flags: missing (expected: 2 bytes at offset 5)"}); the hex dump of the
 * offending bytes is kept separately so logs can show it without putting it in client error text.
 */
public final class MalformedPacketException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_DUMP_BYTES = 256;

    private final String hexDump;

    public MalformedPacketException(String message) {
        super(message);
        this.hexDump = "";
    }

    public MalformedPacketException(String message, ByteBuf offending) {
        super(message);
        int length = Math.min(offending.readableBytes(), MAX_DUMP_BYTES);
        this.hexDump = ByteBufUtil.prettyHexDump(offending, offending.readerIndex(), length);
    }

    /** Up to the first 256 readable bytes of the packet, as a Netty pretty hex dump (or empty). */
    public String hexDump() {
        return hexDump;
    }

    public static MalformedPacketException missing(String field, int needed, ByteBuf buf) {
        return new MalformedPacketException(
                field + ": missing (expected: " + needed + " more bytes at offset " + buf.readerIndex()
                        + ", have " + buf.readableBytes() + ")", buf);
    }
}
