package io.mysqlmux.admin.server;

import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.PacketPayload;
import io.mysqlmux.protocol.packet.EofPacket;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes an {@link AdminResult} as the answer to a command, in the layout the client negotiated:
 * text result sets with or without EOF packets (CLIENT_DEPRECATE_EOF), OK and ERR. Sequence ids
 * start at 1, after the client's command.
 */
final class ResultWriter {
    private static final int STATUS = ServerStatus.SERVER_STATUS_AUTOCOMMIT;
    private static final int UTF8MB4_GENERAL_CI = 45;
    private static final int BINARY = 63;
    private static final int TYPE_LONGLONG = 0x08;
    private static final int TYPE_VAR_STRING = 0xFD;
    private static final int NUM_FLAG = 0x8000;

    private final Channel channel;
    private final Capability caps;
    private int sequenceId;
    private ChannelFuture last;

    ResultWriter(Channel channel, Capability caps) {
        this.channel = channel;
        this.caps = caps;
    }

    /** Writes and flushes the whole answer; the future completes when it is on the wire. */
    ChannelFuture write(AdminResult result) {
        sequenceId = 1;
        if (result instanceof AdminResult.Rows rows) {
            writeRows(rows);
        } else if (result instanceof AdminResult.Ok ok) {
            send(out -> ok(ok.affectedRows(), ok.info()).write(out, caps));
        } else if (result instanceof AdminResult.Error error) {
            send(out -> new ErrPacket(error.code(), error.sqlState(), error.message()).write(out, caps));
        }
        return flush();
    }

    /** A packet with a payload that is plain text (COM_STATISTICS). */
    ChannelFuture writeText(String text) {
        sequenceId = 1;
        send(out -> out.writeCharSequence(text, StandardCharsets.UTF_8));
        return flush();
    }

    /** The end-of-data answer (COM_SET_OPTION): EOF, or OK with the 0xFE header. */
    ChannelFuture writeEndOfData() {
        sequenceId = 1;
        writeEnd();
        return flush();
    }

    private ChannelFuture flush() {
        channel.flush();
        return last;
    }

    private void writeRows(AdminResult.Rows rows) {
        List<String> columns = rows.columns();
        send(out -> MysqlBuf.writeLenEncInt(out, columns.size()));
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i);
            boolean numeric = rows.numeric()[i];
            send(out -> column(out, name, numeric));
        }
        if (!caps.isDeprecateEof()) {
            send(out -> new EofPacket(0, STATUS).write(out, caps));
        }
        for (List<String> row : rows.rows()) {
            send(out -> {
                for (String value : row) {
                    if (value == null) {
                        out.writeByte(MysqlBuf.LENENC_NULL);
                    } else {
                        MysqlBuf.writeLenEncString(out, value, StandardCharsets.UTF_8);
                    }
                }
            });
        }
        writeEnd();
    }

    private void writeEnd() {
        if (caps.isDeprecateEof()) {
            send(out -> new OkPacket(OkPacket.EOF_HEADER, 0, 0, STATUS, 0, new byte[0], null).write(out, caps));
        } else {
            send(out -> new EofPacket(0, STATUS).write(out, caps));
        }
    }

    /** Protocol::ColumnDefinition41 for a column of no table. */
    private static void column(ByteBuf out, String name, boolean numeric) {
        MysqlBuf.writeLenEncString(out, "def", StandardCharsets.UTF_8);
        MysqlBuf.writeLenEncString(out, "", StandardCharsets.UTF_8);
        MysqlBuf.writeLenEncString(out, "", StandardCharsets.UTF_8);
        MysqlBuf.writeLenEncString(out, "", StandardCharsets.UTF_8);
        MysqlBuf.writeLenEncString(out, name, StandardCharsets.UTF_8);
        MysqlBuf.writeLenEncString(out, name, StandardCharsets.UTF_8);
        out.writeByte(0x0C);
        out.writeShortLE(numeric ? BINARY : UTF8MB4_GENERAL_CI);
        out.writeIntLE(numeric ? 20 : 1024);
        out.writeByte(numeric ? TYPE_LONGLONG : TYPE_VAR_STRING);
        out.writeShortLE(numeric ? NUM_FLAG : 0);
        out.writeByte(0);
        out.writeShortLE(0);
    }

    private static OkPacket ok(long affectedRows, String info) {
        return new OkPacket(OkPacket.HEADER, affectedRows, 0, STATUS, 0,
                info == null ? new byte[0] : info.getBytes(StandardCharsets.UTF_8), null);
    }

    private void send(PacketPayload payload) {
        last = channel.write(PacketEncoder.encode(channel.alloc(), sequenceId++ & 0xFF, payload));
    }
}
