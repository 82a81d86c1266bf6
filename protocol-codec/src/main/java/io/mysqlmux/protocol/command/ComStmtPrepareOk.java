package io.mysqlmux.protocol.command;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.frame.Packets;
import io.netty.buffer.ByteBuf;

/**
 * COM_STMT_PREPARE_OK, the first packet of a successful prepare:
 * {@code 0x00, int<4> statement_id, int<2> num_columns, int<2> num_params, 0x00, int<2> warnings}.
 * Parameter definitions, then column definitions follow (each block only when its count is not 0).
 * Read from a frame by peeking; the statement id can be rewritten in place.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html">COM_STMT_PREPARE</a>
 */
public record ComStmtPrepareOk(long statementId, int columns, int parameters, int warnings) {
    private static final int LENGTH = 12;

    /** Peeks at a PREPARE_OK frame (header included; borrowed). */
    public static ComStmtPrepareOk peek(ByteBuf frame) {
        if (Packets.payloadLength(frame) < LENGTH || Packets.firstByte(frame) != 0) {
            throw new MalformedPacketException("PREPARE_OK: " + Packets.payloadLength(frame)
                    + " bytes starting 0x" + Integer.toHexString(Packets.firstByte(frame))
                    + " (expected: at least 12 starting 0x00)", frame);
        }
        int base = Packets.payloadIndex(frame, 0);
        return new ComStmtPrepareOk(frame.getUnsignedIntLE(base + 1), frame.getUnsignedShortLE(base + 5),
                frame.getUnsignedShortLE(base + 7), frame.getUnsignedShortLE(base + 10));
    }
}
