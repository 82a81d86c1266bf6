package io.mysqlmux.protocol.packet;

import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * OK_Packet. After the warnings comes an optional {@code info} str&lt;lenenc&gt;, then, with
 * CLIENT_SESSION_TRACK and SERVER_SESSION_STATE_CHANGED, the session-state block. The MySQL
 * documentation says {@code info} is a str&lt;EOF&gt; without CLIENT_SESSION_TRACK, but MySQL and
 * MariaDB servers write it length-encoded either way (captured: {@code com_query/update_info_rows_matched.hex})
 * and Connector/J reads it so; this class follows the servers. The proxy re-encodes OKs for clients
 * without session tracking only to drop the state block and its status flag.
 *
 * @param header       0x00, or 0xFE when the OK ends a result set under CLIENT_DEPRECATE_EOF
 * @param info         human-readable text (e.g. {@code Rows matched: 1  Changed: 1  Warnings: 0}), never null
 * @param sessionState the session-state block without its outer length, or null
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html">OK_Packet</a>
 */
public record OkPacket(int header, long affectedRows, long lastInsertId, int statusFlags, int warnings,
                       byte[] info, byte[] sessionState) {
    public static final int HEADER = 0x00;
    public static final int EOF_HEADER = 0xFE;
    private static final byte[] NO_INFO = new byte[0];

    /** A plain OK as the proxy sends it for commands it answers itself. */
    public static OkPacket of(int statusFlags) {
        return new OkPacket(HEADER, 0, 0, statusFlags, 0, NO_INFO, null);
    }

    /** Reads from {@code payload} (the packet without its header) as the sender's capabilities lay it out. */
    public static OkPacket read(ByteBuf payload, Capability caps) {
        MysqlBuf.requireReadable(payload, 1, "OK header");
        int header = payload.readUnsignedByte();
        long affectedRows = MysqlBuf.readLenEncInt(payload);
        long lastInsertId = MysqlBuf.readLenEncInt(payload);
        int status = 0;
        int warnings = 0;
        if (caps.has(Capability.CLIENT_PROTOCOL_41)) {
            MysqlBuf.requireReadable(payload, 4, "OK status_flags+warnings");
            status = payload.readUnsignedShortLE();
            warnings = payload.readUnsignedShortLE();
        } else if (caps.has(Capability.CLIENT_TRANSACTIONS)) {
            MysqlBuf.requireReadable(payload, 2, "OK status_flags");
            status = payload.readUnsignedShortLE();
        }
        byte[] info = payload.isReadable() ? MysqlBuf.readLenEncBytes(payload) : NO_INFO;
        byte[] sessionState = null;
        if (caps.isSessionTrack() && ServerStatus.sessionStateChanged(status) && payload.isReadable()) {
            sessionState = MysqlBuf.readLenEncBytes(payload);
        }
        return new OkPacket(header, affectedRows, lastInsertId, status, warnings, info, sessionState);
    }

    /** Writes the payload as a peer with {@code caps} expects it; drops session state it did not ask for. */
    public void write(ByteBuf out, Capability caps) {
        out.writeByte(header);
        MysqlBuf.writeLenEncInt(out, affectedRows);
        MysqlBuf.writeLenEncInt(out, lastInsertId);
        boolean track = caps.isSessionTrack();
        int status = track ? statusFlags : statusFlags & ~ServerStatus.SERVER_SESSION_STATE_CHANGED;
        if (caps.has(Capability.CLIENT_PROTOCOL_41)) {
            out.writeShortLE(status).writeShortLE(warnings);
        } else if (caps.has(Capability.CLIENT_TRANSACTIONS)) {
            out.writeShortLE(status);
        }
        boolean withState = track && sessionState != null && ServerStatus.sessionStateChanged(status);
        if (withState || info.length > 0) {
            MysqlBuf.writeLenEncBytes(out, info);
        }
        if (withState) {
            MysqlBuf.writeLenEncBytes(out, sessionState);
        }
    }

    public String infoText() {
        return new String(info, StandardCharsets.UTF_8);
    }

    public OkPacket withStatusFlags(int flags) {
        return new OkPacket(header, affectedRows, lastInsertId, flags, warnings, info, sessionState);
    }

    public OkPacket withSessionState(byte[] state) {
        int flags = state == null ? statusFlags & ~ServerStatus.SERVER_SESSION_STATE_CHANGED
                : statusFlags | ServerStatus.SERVER_SESSION_STATE_CHANGED;
        return new OkPacket(header, affectedRows, lastInsertId, flags, warnings, info, state);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OkPacket other && header == other.header && affectedRows == other.affectedRows
                && lastInsertId == other.lastInsertId && statusFlags == other.statusFlags && warnings == other.warnings
                && java.util.Arrays.equals(info, other.info) && java.util.Arrays.equals(sessionState, other.sessionState);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(header, affectedRows, lastInsertId, statusFlags, warnings)
                * 31 + java.util.Arrays.hashCode(info);
    }

    @Override
    public String toString() {
        return "OkPacket[header=0x" + Integer.toHexString(header) + ", affectedRows=" + affectedRows
                + ", lastInsertId=" + lastInsertId + ", status=0x" + Integer.toHexString(statusFlags)
                + ", warnings=" + warnings + ", info=" + infoText()
                + ", sessionState=" + (sessionState == null ? "none" : sessionState.length + " bytes") + "]";
    }
}
