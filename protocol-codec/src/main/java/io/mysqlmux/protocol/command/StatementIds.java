package io.mysqlmux.protocol.command;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.frame.Packets;
import io.netty.buffer.ByteBuf;

/**
 * The 4-byte statement id right after the command byte of COM_STMT_EXECUTE, _FETCH, _RESET, _CLOSE,
 * _SEND_LONG_DATA and MariaDB's COM_STMT_BULK_EXECUTE — and at the same place in PREPARE_OK. A proxy
 * that lends server connections gives clients ids of its own and rewrites them in place, copying
 * nothing.
 */
public final class StatementIds {
    /** MariaDB: "the statement prepared last on this connection" (pipelined PREPARE + EXECUTE). */
    public static final long LAST_PREPARED = 0xFFFFFFFFL;
    private static final int OFFSET = 1;

    private StatementIds() {
    }

    /** The statement id in a command or PREPARE_OK frame (header included; borrowed). */
    public static long get(ByteBuf frame) {
        if (Packets.payloadLength(frame) < OFFSET + 4) {
            throw new MalformedPacketException("statement id: payload of " + Packets.payloadLength(frame)
                    + " bytes (expected: at least 5)", frame);
        }
        return frame.getUnsignedIntLE(Packets.payloadIndex(frame, OFFSET));
    }

    /** Writes {@code id} over the statement id of the frame, in place. */
    public static void set(ByteBuf frame, long id) {
        frame.setIntLE(Packets.payloadIndex(frame, OFFSET), (int) id);
    }
}
