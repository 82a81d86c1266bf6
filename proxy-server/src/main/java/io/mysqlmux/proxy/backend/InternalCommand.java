package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.command.ComStmtPrepareOk;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.frame.PacketPayload;
import io.mysqlmux.protocol.packet.EofPacket;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.PacketKind;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.EventExecutor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A command the proxy sends for itself (session setup, state sync, rollback, reset, ping) and whose
 * answer no client sees. Collects the final OK or ERR and, for the few small queries the proxy
 * reads, the text rows.
 */
public final class InternalCommand implements BackendReceiver {

    /** Called once on the executor with the outcome. */
    @FunctionalInterface
    public interface Callback {
        void done(BackendConnection connection, Result result);
    }

    /**
     * @param ok      the last OK (or OK-style terminator), or null
     * @param error   the server's ERR, or null
     * @param rows    text rows (only when asked for), columns as strings, SQL NULL as null
     * @param status  status flags of the last OK/EOF, or {@link ResponseTracker#NO_STATUS}
     * @param failure the connection failed or answered something unparsable; null otherwise
     * @param preparedStatementId the server's id from a PREPARE_OK, or -1
     * @param rawRows the same rows as their payload bytes (to be relayed as they came)
     */
    public record Result(OkPacket ok, ErrPacket error, List<String[]> rows, int status, Throwable failure,
                         long preparedStatementId, List<byte[]> rawRows) {
        public boolean succeeded() {
            return error == null && failure == null;
        }

        /** For log lines and client messages: the server's error or the failure. */
        public String problem() {
            return error != null ? error.toString() : failure == null ? "none" : failure.toString();
        }
    }

    private final EventExecutor executor;
    private final boolean collectRows;
    private final Callback callback;
    private final List<String[]> rows = new ArrayList<>();
    private final List<byte[]> rawRows = new ArrayList<>();
    private OkPacket ok;
    private ErrPacket error;
    private long preparedStatementId = -1;
    private boolean finished;

    private InternalCommand(EventExecutor executor, boolean collectRows, Callback callback) {
        this.executor = executor;
        this.collectRows = collectRows;
        this.callback = callback;
    }

    /**
     * Sends {@code command} on {@code connection} and reports on {@code executor}. Must be called on
     * {@code executor}.
     */
    public static void run(BackendConnection connection, EventExecutor executor, PacketPayload command,
                           ExpectedResponse expected, boolean collectRows, Callback callback) {
        InternalCommand internal = new InternalCommand(executor, collectRows, callback);
        connection.tracker().start(expected, 0);
        if (!connection.attach(internal)) {
            internal.finish(connection, new IllegalStateException("server connection " + connection + " is closed"));
            return;
        }
        connection.write(PacketEncoder.encode(connection.channel().alloc(), 0, command));
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public void onBackendPacket(BackendConnection connection, ByteBuf frame) {
        try {
            if (finished) {
                connection.onUnsolicitedPacket();
                return;
            }
            ResponseTracker tracker = connection.tracker();
            PacketKind kind = tracker.onPacket(frame);
            if (kind == PacketKind.PREPARE_OK) {
                preparedStatementId = ComStmtPrepareOk.peek(frame).statementId();
            }
            collect(connection, kind, Packets.payload(frame));
            if (tracker.isDone()) {
                finish(connection, null);
            }
        } catch (MalformedPacketException e) {
            connection.close();
            finish(connection, e);
        } finally {
            frame.release();
        }
    }

    private void collect(BackendConnection connection, PacketKind kind, ByteBuf payload) {
        switch (kind) {
            case ERR:
                error = ErrPacket.read(payload);
                break;
            case OK:
                ok = OkPacket.read(payload, connection.capabilities());
                break;
            case TERMINATOR:
                ok = terminator(payload, connection.capabilities());
                break;
            case ROW:
                if (collectRows) {
                    rawRows.add(ByteBufUtil.getBytes(payload));
                    rows.add(readTextRow(payload));
                }
                break;
            case CONTINUATION:
                throw new MalformedPacketException("internal query: row of 16 MiB or more (expected: small rows)");
            default:
                break;
        }
    }

    /** The 0xFE OK that ends rows or, on a connection without DEPRECATE_EOF, the EOF, as an OK with its status. */
    private static OkPacket terminator(ByteBuf payload, Capability caps) {
        if (caps.isDeprecateEof()) {
            return OkPacket.read(payload, caps);
        }
        EofPacket eof = EofPacket.read(payload, caps);
        return new OkPacket(OkPacket.EOF_HEADER, 0, 0, eof.statusFlags(), eof.warnings(), new byte[0], null);
    }

    private static String[] readTextRow(ByteBuf payload) {
        List<String> columns = new ArrayList<>();
        while (payload.isReadable()) {
            if (payload.getUnsignedByte(payload.readerIndex()) == MysqlBuf.LENENC_NULL) {
                payload.skipBytes(1);
                columns.add(null);
            } else {
                columns.add(MysqlBuf.readLenEncString(payload, StandardCharsets.UTF_8));
            }
        }
        return columns.toArray(new String[0]);
    }

    @Override
    public void onBackendReadComplete(BackendConnection connection) {
    }

    @Override
    public void onBackendClosed(BackendConnection connection, Throwable cause) {
        finish(connection, cause != null ? cause
                : new IllegalStateException("server closed connection " + connection + " during an internal command"));
    }

    private void finish(BackendConnection connection, Throwable failure) {
        if (finished) {
            return;
        }
        finished = true;
        int status = connection.tracker().status();
        if (failure == null && status != ResponseTracker.NO_STATUS) {
            connection.statusFlags(status);
        }
        callback.done(connection, new Result(ok, error, List.copyOf(rows), status, failure, preparedStatementId,
                List.copyOf(rawRows)));
    }
}
