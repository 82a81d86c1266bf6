package io.mysqlmux.protocol.packet;

import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The session trackers one session has switched on ({@code session_track_system_variables},
 * {@code _schema}, {@code _state_change}, {@code _transaction_info}), and so which entries of a
 * session-state block it is told about. A server connection that tracks everything reports more;
 * {@link #filter} cuts a block down to what a session with these settings gets from the server
 * itself. Rules as MariaDB 10.11 and 11.4 apply them (checked on the wire):
 * <ul>
 *   <li>a change of a tracker setting applies to the OK of the statement that made it:
 *   {@code SET session_track_state_change=ON} is answered with a state-change entry, and
 *   {@code SET session_track_system_variables='*'} reports that variable itself;</li>
 *   <li>system variables are reported only when named in the list (or it is {@code *});</li>
 *   <li>{@code STATE} reports transaction state (type 5), {@code CHARACTERISTICS} type 4 as well.</li>
 * </ul>
 *
 * @param systemVariables the tracked variables, lower case; ignored when {@code allSystemVariables}
 * @see <a href="https://mariadb.com/kb/en/session-state-tracking/">Session state tracking</a>
 */
public record SessionTrackSettings(Set<String> systemVariables, boolean allSystemVariables, boolean schema,
                                   boolean stateChange, TransactionInfo transactionInfo) {
    public static final String SYSTEM_VARIABLES = "session_track_system_variables";
    public static final String SCHEMA = "session_track_schema";
    public static final String STATE_CHANGE = "session_track_state_change";
    public static final String TRANSACTION_INFO = "session_track_transaction_info";

    /** {@code session_track_transaction_info}. */
    public enum TransactionInfo { OFF, STATE, CHARACTERISTICS }

    /** MariaDB's (and MySQL's) defaults, for when the server's own are unknown. */
    public static final SessionTrackSettings SERVER_DEFAULTS = of(
            "autocommit,character_set_client,character_set_connection,character_set_results,time_zone",
            "ON", "OFF", "OFF");

    public SessionTrackSettings {
        systemVariables = Set.copyOf(systemVariables);
    }

    /** From the variables' values as {@code SELECT @@...} or the tracker itself give them ({@code ON}, {@code 1}, ...). */
    public static SessionTrackSettings of(String systemVariables, String schema, String stateChange,
                                          String transactionInfo) {
        Set<String> names = new LinkedHashSet<>();
        boolean all = false;
        for (String name : (systemVariables == null ? "" : systemVariables).split(",")) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            all |= trimmed.equals("*");
            if (!trimmed.isEmpty()) {
                names.add(trimmed);
            }
        }
        return new SessionTrackSettings(names, all, isOn(schema), isOn(stateChange), transactionInfo(transactionInfo));
    }

    /** After the server reported {@code variable} = {@code value}; unchanged for any other variable. */
    public SessionTrackSettings with(String variable, String value) {
        switch (variable.toLowerCase(Locale.ROOT)) {
            case SYSTEM_VARIABLES:
                SessionTrackSettings list = of(value, "OFF", "OFF", "OFF");
                return new SessionTrackSettings(list.systemVariables, list.allSystemVariables, schema, stateChange,
                        transactionInfo);
            case SCHEMA:
                return new SessionTrackSettings(systemVariables, allSystemVariables, isOn(value), stateChange,
                        transactionInfo);
            case STATE_CHANGE:
                return new SessionTrackSettings(systemVariables, allSystemVariables, schema, isOn(value),
                        transactionInfo);
            case TRANSACTION_INFO:
                return new SessionTrackSettings(systemVariables, allSystemVariables, schema, stateChange,
                        transactionInfo(value));
            default:
                return this;
        }
    }

    /**
     * The settings after a statement, from {@code read} (the session's values then) where they differ
     * from {@code own} (what a connection shared by many sessions sets for itself, so that an equal
     * value says nothing about the client) and from these settings elsewhere.
     */
    public SessionTrackSettings merged(SessionTrackSettings read, SessionTrackSettings own) {
        boolean listRead = read.allSystemVariables != own.allSystemVariables
                || !read.systemVariables.equals(own.systemVariables);
        return new SessionTrackSettings(listRead ? read.systemVariables : systemVariables,
                listRead ? read.allSystemVariables : allSystemVariables,
                read.schema != own.schema ? read.schema : schema,
                read.stateChange != own.stateChange ? read.stateChange : stateChange,
                read.transactionInfo != own.transactionInfo ? read.transactionInfo : transactionInfo);
    }

    /** True when a change of system variable {@code name} is reported to this session. */
    public boolean reportsVariable(String name) {
        return allSystemVariables || systemVariables.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * {@code block} with only the entries these settings report, and without the variables
     * {@code hidden} names; null when nothing is left. Entry types it does not know pass unchanged.
     */
    public byte[] filter(byte[] block, Predicate<String> hidden) {
        if (block == null) {
            return null;
        }
        ByteBuf in = Unpooled.wrappedBuffer(block);
        ByteBuf out = Unpooled.buffer(block.length);
        while (in.isReadable()) {
            int type = in.readUnsignedByte();
            byte[] data = MysqlBuf.readLenEncBytes(in);
            if (reports(type, data, hidden)) {
                out.writeByte(type);
                MysqlBuf.writeLenEncBytes(out, data);
            }
        }
        return out.isReadable() ? MysqlBuf.readRestBytes(out) : null;
    }

    private boolean reports(int type, byte[] data, Predicate<String> hidden) {
        switch (type) {
            case SessionStateChanges.SESSION_TRACK_SYSTEM_VARIABLES:
                String name = MysqlBuf.readLenEncString(Unpooled.wrappedBuffer(data), StandardCharsets.UTF_8);
                return reportsVariable(name) && !hidden.test(name);
            case SessionStateChanges.SESSION_TRACK_SCHEMA:
                return schema;
            case SessionStateChanges.SESSION_TRACK_STATE_CHANGE:
                return stateChange;
            case SessionStateChanges.SESSION_TRACK_TRANSACTION_STATE:
                return transactionInfo != TransactionInfo.OFF;
            case SessionStateChanges.SESSION_TRACK_TRANSACTION_CHARACTERISTICS:
                return transactionInfo == TransactionInfo.CHARACTERISTICS;
            default:
                return true;
        }
    }

    /**
     * The session-state block of the OK that ends a login into {@code schema} (null: none), or null
     * for none. MariaDB reports the schema (with the state-change flag when that tracker is on) and,
     * with transaction tracking, the empty transaction state; no system variables.
     */
    public byte[] loginState(String schema) {
        ByteBuf out = Unpooled.buffer();
        if (schema != null && this.schema) {
            entry(out, SessionStateChanges.SESSION_TRACK_SCHEMA, lenEnc(schema.getBytes(StandardCharsets.UTF_8)));
            if (stateChange) {
                entry(out, SessionStateChanges.SESSION_TRACK_STATE_CHANGE, new byte[] {'1'});
            }
        }
        if (transactionInfo != TransactionInfo.OFF) {
            entry(out, SessionStateChanges.SESSION_TRACK_TRANSACTION_STATE, lenEnc("________".getBytes(StandardCharsets.US_ASCII)));
        }
        if (transactionInfo == TransactionInfo.CHARACTERISTICS) {
            entry(out, SessionStateChanges.SESSION_TRACK_TRANSACTION_CHARACTERISTICS, lenEnc(new byte[0]));
        }
        return out.isReadable() ? MysqlBuf.readRestBytes(out) : null;
    }

    private static void entry(ByteBuf out, int type, byte[] data) {
        out.writeByte(type);
        MysqlBuf.writeLenEncBytes(out, data);
    }

    private static byte[] lenEnc(byte[] value) {
        ByteBuf buf = Unpooled.buffer(value.length + 9);
        MysqlBuf.writeLenEncBytes(buf, value);
        return MysqlBuf.readRestBytes(buf);
    }

    private static boolean isOn(String value) {
        return value != null && (value.equalsIgnoreCase("ON") || value.equals("1") || value.equalsIgnoreCase("TRUE"));
    }

    private static TransactionInfo transactionInfo(String value) {
        String upper = value == null ? "OFF" : value.trim().toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "STATE", "1" -> TransactionInfo.STATE;
            case "CHARACTERISTICS", "2" -> TransactionInfo.CHARACTERISTICS;
            default -> TransactionInfo.OFF;
        };
    }

    @Override
    public String toString() {
        return "SessionTrackSettings[variables=" + (allSystemVariables ? "*" : String.join(",", systemVariables))
                + ", schema=" + schema + ", stateChange=" + stateChange + ", transactionInfo=" + transactionInfo
                + "]";
    }
}
