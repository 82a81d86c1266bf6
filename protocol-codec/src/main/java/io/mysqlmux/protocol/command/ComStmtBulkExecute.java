package io.mysqlmux.protocol.command;

import io.mysqlmux.protocol.frame.Packets;
import io.netty.buffer.ByteBuf;

/**
 * MariaDB's COM_STMT_BULK_EXECUTE (0xFA): one statement, many rows of parameters (batches).
 * {@code 0xFA, int<4> statement_id, int<2> flags, [if flags & 128: int<2> type per parameter], rows}.
 * Without the SEND_TYPES_TO_SERVER flag the server uses the types of the statement's last execution,
 * which a proxy moving statements between connections cannot vouch for.
 *
 * @see <a href="https://mariadb.com/kb/en/com_stmt_bulk_execute/">COM_STMT_BULK_EXECUTE</a>
 */
public final class ComStmtBulkExecute {
    public static final int SEND_TYPES_TO_SERVER = 128;
    public static final int SEND_UNIT_RESULTS = 64;
    private static final int FLAGS_OFFSET = 5;

    private ComStmtBulkExecute() {
    }

    public static int flags(ByteBuf frame) {
        return Packets.payloadLength(frame) < FLAGS_OFFSET + 2 ? 0
                : frame.getUnsignedShortLE(Packets.payloadIndex(frame, FLAGS_OFFSET));
    }

    public static boolean sendsTypes(ByteBuf frame) {
        return (flags(frame) & SEND_TYPES_TO_SERVER) != 0;
    }
}
