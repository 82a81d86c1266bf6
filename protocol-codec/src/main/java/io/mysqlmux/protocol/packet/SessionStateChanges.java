package io.mysqlmux.protocol.packet;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The session-state block of an OK packet (CLIENT_SESSION_TRACK): what the statement changed in the
 * session. Each entry is {@code int<1> type, str<lenenc> data}.
 *
 * @param systemVariables    SESSION_TRACK_SYSTEM_VARIABLES entries in order (name, value after the change)
 * @param schema             SESSION_TRACK_SCHEMA: the new default schema, or null
 * @param stateChanged       SESSION_TRACK_STATE_CHANGE: "something changed" (user variables, temporary
 *                           tables, SQL PREPARE, ... as well as the tracked kinds); never reports "clean again"
 * @param transactionCharacteristics SESSION_TRACK_TRANSACTION_CHARACTERISTICS SQL, or null
 * @param transactionState   SESSION_TRACK_TRANSACTION_STATE 8-character string, or null
 * @param unknownTypes       entry types this class does not interpret (GTIDs, MariaDB user variables, ...)
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html">Session state information</a>
 */
public record SessionStateChanges(List<Variable> systemVariables, String schema, boolean stateChanged,
                                  String transactionCharacteristics, String transactionState,
                                  List<Integer> unknownTypes) {
    public static final int SESSION_TRACK_SYSTEM_VARIABLES = 0;
    public static final int SESSION_TRACK_SCHEMA = 1;
    public static final int SESSION_TRACK_STATE_CHANGE = 2;
    public static final int SESSION_TRACK_GTIDS = 3;
    public static final int SESSION_TRACK_TRANSACTION_CHARACTERISTICS = 4;
    public static final int SESSION_TRACK_TRANSACTION_STATE = 5;

    /** One tracked system variable and its value after the statement. */
    public record Variable(String name, String value) {
    }

    public static SessionStateChanges parse(byte[] block) {
        ByteBuf buf = Unpooled.wrappedBuffer(block);
        List<Variable> variables = new ArrayList<>();
        List<Integer> unknown = new ArrayList<>();
        String schema = null;
        boolean stateChanged = false;
        String characteristics = null;
        String transactionState = null;
        while (buf.isReadable()) {
            int type = buf.readUnsignedByte();
            ByteBuf data = Unpooled.wrappedBuffer(MysqlBuf.readLenEncBytes(buf));
            switch (type) {
                case SESSION_TRACK_SYSTEM_VARIABLES:
                    variables.add(new Variable(utf8(data), utf8(data)));
                    break;
                case SESSION_TRACK_SCHEMA:
                    schema = utf8(data);
                    break;
                case SESSION_TRACK_STATE_CHANGE:
                    stateChanged = data.isReadable() && data.getByte(data.readerIndex()) == '1';
                    break;
                case SESSION_TRACK_TRANSACTION_CHARACTERISTICS:
                    characteristics = utf8(data);
                    break;
                case SESSION_TRACK_TRANSACTION_STATE:
                    transactionState = utf8(data);
                    break;
                default:
                    unknown.add(type);
            }
        }
        return new SessionStateChanges(List.copyOf(variables), schema, stateChanged, characteristics,
                transactionState, List.copyOf(unknown));
    }

    /**
     * Rebuilds {@code block} without the system-variable entries whose name {@code drop} accepts
     * (e.g. MariaDB's {@code redirect_url}); returns null when nothing is left.
     */
    public static byte[] withoutVariables(byte[] block, Predicate<String> drop) {
        ByteBuf in = Unpooled.wrappedBuffer(block);
        ByteBuf out = Unpooled.buffer(block.length);
        while (in.isReadable()) {
            int type = in.readUnsignedByte();
            byte[] data = MysqlBuf.readLenEncBytes(in);
            if (type == SESSION_TRACK_SYSTEM_VARIABLES
                    && drop.test(utf8(Unpooled.wrappedBuffer(data)))) {
                continue;
            }
            out.writeByte(type);
            MysqlBuf.writeLenEncBytes(out, data);
        }
        return out.isReadable() ? MysqlBuf.readRestBytes(out) : null;
    }

    /** True when the block reports nothing but schema and system-variable changes (state the proxy can move). */
    public boolean onlyMovableChanges() {
        return unknownTypes.isEmpty() && (!systemVariables.isEmpty() || schema != null);
    }

    private static String utf8(ByteBuf data) {
        if (!data.isReadable()) {
            throw new MalformedPacketException("session state entry: empty (expected: str<lenenc>)");
        }
        return MysqlBuf.readLenEncString(data, StandardCharsets.UTF_8);
    }
}
