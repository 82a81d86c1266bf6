package io.mysqlmux.protocol.command;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The parts of COM_STMT_EXECUTE a proxy must see, without decoding values:
 * <pre>
 * 0x17, int&lt;4&gt; statement_id, int&lt;1&gt; flags, int&lt;4&gt; iteration_count,
 * if num_params &gt; 0: NULL bitmap [(num_params + 7) / 8], int&lt;1&gt; new_params_bound_flag,
 *                     if that flag is 1: num_params x (int&lt;1&gt; type, int&lt;1&gt; 0x80 = unsigned), then values
 * </pre>
 * {@code num_params} is not in the packet: it comes from the statement's PREPARE_OK. A client may send
 * {@code new_params_bound_flag = 0} to mean "the types the server statement already has"; after the
 * statement moved to a server connection that never got them, the proxy puts them in
 * ({@link #withTypes}).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html">COM_STMT_EXECUTE</a>
 */
public final class ComStmtExecute {
    public static final int CURSOR_TYPE_NO_CURSOR = 0x00;
    public static final int CURSOR_TYPE_READ_ONLY = 0x01;
    private static final int FLAGS_OFFSET = 5;
    private static final int BITMAP_OFFSET = 10;

    private ComStmtExecute() {
    }

    public static int flags(ByteBuf frame) {
        return frame.getUnsignedByte(Packets.payloadIndex(frame, FLAGS_OFFSET));
    }

    /** True when the client asked for a cursor (rows then come with COM_STMT_FETCH). */
    public static boolean opensCursor(ByteBuf frame) {
        return (flags(frame) & 0x07) != CURSOR_TYPE_NO_CURSOR;
    }

    private static int boundFlagOffset(int parameters) {
        return BITMAP_OFFSET + (parameters + 7) / 8;
    }

    /** Whether the packet carries parameter types ({@code new_params_bound_flag = 1}). */
    public static boolean typesIncluded(ByteBuf frame, int parameters) {
        if (parameters == 0) {
            return false;
        }
        int offset = boundFlagOffset(parameters);
        require(frame, offset + 1, parameters);
        return frame.getUnsignedByte(Packets.payloadIndex(frame, offset)) == 1;
    }

    /** The parameter types of a packet that includes them (2 bytes per parameter). */
    public static byte[] types(ByteBuf frame, int parameters) {
        int offset = boundFlagOffset(parameters) + 1;
        require(frame, offset + 2 * parameters, parameters);
        byte[] types = new byte[2 * parameters];
        frame.getBytes(Packets.payloadIndex(frame, offset), types);
        return types;
    }

    /**
     * A copy of the single-frame execute packet {@code frame} (borrowed) with {@code types} put in and
     * the bound flag set to 1, for a server statement that does not have them.
     */
    public static ByteBuf withTypes(ByteBuf frame, int parameters, byte[] types, ByteBufAllocator alloc) {
        int offset = boundFlagOffset(parameters);
        require(frame, offset + 1, parameters);
        int payloadStart = Packets.payloadIndex(frame, 0);
        int rest = Packets.payloadLength(frame) - offset - 1;
        return PacketEncoder.encode(alloc, Packets.sequenceId(frame), out -> {
            out.writeBytes(frame, payloadStart, offset);
            out.writeByte(1);
            out.writeBytes(types);
            out.writeBytes(frame, payloadStart + offset + 1, rest);
        });
    }

    private static void require(ByteBuf frame, int length, int parameters) {
        if (Packets.payloadLength(frame) < length) {
            throw new MalformedPacketException("COM_STMT_EXECUTE: " + Packets.payloadLength(frame)
                    + " bytes (expected: at least " + length + " for " + parameters + " parameters)", frame);
        }
    }
}
