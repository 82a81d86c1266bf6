package io.mysqlmux.testing;

import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.handshake.ClientLogin;
import io.mysqlmux.protocol.handshake.LoginStep;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.PacketKind;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.Capability;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A client on a plain socket that can end every way a real one does: COM_QUIT, a FIN without a
 * word, a RST (linger 0), or by falling silent in the middle of a response. It negotiates
 * {@code CLIENT_FOUND_ROWS} like mysql-connector-j and MariaDB Connector/J do, so that it lands in
 * the same pool as the JDBC clients of a test. Built on the project's codec, as {@link WireClient}.
 */
public final class DyingClient implements AutoCloseable {
    private static final long CAPABILITIES = WireClient.MODERN | Capability.CLIENT_FOUND_ROWS;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ResponseTracker tracker;
    private final long connectionId;

    private DyingClient(Socket socket, DataInputStream in, ClientLogin login) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.tracker = new ResponseTracker(login.negotiated().isDeprecateEof());
        this.connectionId = login.greeting().connectionId();
    }

    public static DyingClient connect(int port, EmbeddedMariaDb.Account account, String database) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(15_000);
            socket.setTcpNoDelay(true);
            // Small buffers: a big result stops flowing after a few hundred KiB once we stop reading.
            socket.setReceiveBufferSize(64 * 1024);
            ClientLogin login = new ClientLogin(new ClientLogin.Settings(account.user(),
                    account.password().getBytes(StandardCharsets.UTF_8), database, 45, Capability.of(CAPABILITIES),
                    Map.of("_client_name", "DyingClient"), false));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] greeting = readPacket(in);
            LoginStep step = login.onGreeting(payload(greeting), greeting[3] & 0xFF);
            while (step instanceof LoginStep.Send send) {
                write(socket.getOutputStream(), PacketEncoder.encode(Unpooled.buffer().alloc(), send.sequenceId(),
                        send.payload()));
                byte[] reply = readPacket(in);
                step = login.onPacket(payload(reply), reply[3] & 0xFF);
                while (step instanceof LoginStep.Await) {
                    reply = readPacket(in);
                    step = login.onPacket(payload(reply), reply[3] & 0xFF);
                }
            }
            if (step instanceof LoginStep.Failed failed) {
                throw new IOException("login refused: " + failed.error());
            }
            return new DyingClient(socket, in, login);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The proxy's id for this client (what CONNECTION_ID() returns and KILL takes). */
    public long connectionId() {
        return connectionId;
    }

    /** Runs a statement and reads its whole answer; fails with the server's message on an ERR. */
    public void run(String sql) throws IOException {
        sendQuery(sql);
        tracker.start(ExpectedResponse.RESULT, 0);
        String error = null;
        while (!tracker.isDone()) {
            byte[] packet = readPacket(in);
            if (tracker.onPacket(Unpooled.wrappedBuffer(packet)) == PacketKind.ERR) {
                error = new String(packet, 7, packet.length - 7, StandardCharsets.UTF_8);
            }
        }
        if (error != null) {
            throw new IOException("'" + sql + "' failed: " + error);
        }
    }

    /** COM_STMT_PREPARE of a statement without parameters; returns the statement id the proxy gave it. */
    public long prepare(String sql) throws IOException {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        write(out, PacketEncoder.encode(Unpooled.buffer().alloc(), 0, o -> o.writeByte(0x16).writeBytes(text)));
        tracker.start(ExpectedResponse.PREPARE, 0);
        long id = -1;
        while (!tracker.isDone()) {
            byte[] packet = readPacket(in);
            PacketKind kind = tracker.onPacket(Unpooled.wrappedBuffer(packet));
            if (kind == PacketKind.ERR) {
                throw new IOException("prepare '" + sql + "' failed: " + new String(packet, 7, packet.length - 7,
                        StandardCharsets.UTF_8));
            }
            if (kind == PacketKind.PREPARE_OK) {
                id = Unpooled.wrappedBuffer(packet, 5, 4).readUnsignedIntLE();
            }
        }
        return id;
    }

    /**
     * COM_STMT_EXECUTE with a read-only cursor (CURSOR_TYPE_READ_ONLY): the server keeps the rows
     * for COM_STMT_FETCH, so the connection cannot go to anyone else while the cursor is open.
     */
    public void executeWithCursor(long statementId) throws IOException {
        write(out, PacketEncoder.encode(Unpooled.buffer().alloc(), 0, o -> o.writeByte(0x17)
                .writeIntLE((int) statementId).writeByte(0x01).writeIntLE(1)));
        tracker.start(ExpectedResponse.RESULT, 0);
        while (!tracker.isDone()) {
            byte[] packet = readPacket(in);
            if (tracker.onPacket(Unpooled.wrappedBuffer(packet)) == PacketKind.ERR) {
                throw new IOException("execute failed: " + new String(packet, 7, packet.length - 7,
                        StandardCharsets.UTF_8));
            }
        }
    }

    /** Sends COM_QUERY and returns at once: the answer is left unread. */
    public void sendQuery(String sql) throws IOException {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        write(out, PacketEncoder.encode(Unpooled.buffer().alloc(), 0, o -> o.writeByte(0x03).writeBytes(text)));
    }

    /** Reads {@code count} packets of an answer the test sent with {@link #sendQuery} (no checks). */
    public void readPackets(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            readPacket(in);
        }
    }

    /** What the client reads next within {@code millis}: a description of the first packet, "closed", or "silent". */
    public String nextEvent(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            byte[] packet = readPacket(in);
            int first = packet.length > 4 ? packet[4] & 0xFF : -1;
            if (first == 0xFF && packet.length > 7) {
                int code = (packet[5] & 0xFF) | (packet[6] & 0xFF) << 8;
                return "ERR " + code + " " + new String(packet, 7, packet.length - 7, StandardCharsets.UTF_8);
            }
            return "packet 0x" + Integer.toHexString(first) + " (" + (packet.length - 4) + " bytes)";
        } catch (SocketTimeoutException e) {
            return "silent";
        } catch (IOException e) {
            return "closed";
        } finally {
            socket.setSoTimeout(15_000);
        }
    }

    /** Reads and drops everything until the proxy closes the connection; false if it stays open for {@code millis}. */
    public boolean awaitClosedByPeer(long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        byte[] sink = new byte[1 << 16];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the peer
            }
        }
        return false;
    }

    /** COM_QUIT, as a driver's close() sends it; the socket stays open until {@link #close}. */
    public void sendQuit() throws IOException {
        write(out, PacketEncoder.encode(Unpooled.buffer().alloc(), 0, o -> o.writeByte(0x01)));
    }

    /** COM_QUIT if the socket still takes it; a client that is already cut off says nothing. */
    public void sendQuitQuietly() {
        try {
            sendQuit();
        } catch (IOException alreadyClosed) {
            // the proxy closed first
        }
    }

    /** A FIN without COM_QUIT, as a process that exits (or crashes) sends, even with an answer unread. */
    public void fin() throws IOException {
        socket.shutdownOutput();
    }

    /** A RST: linger 0, then close, as a killed process's kernel or a firewall does. */
    public void rst() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static byte[] readPacket(DataInputStream in) throws IOException {
        byte[] header = new byte[4];
        in.readFully(header);
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        byte[] packet = new byte[4 + length];
        System.arraycopy(header, 0, packet, 0, 4);
        in.readFully(packet, 4, length);
        return packet;
    }

    private static ByteBuf payload(byte[] packet) {
        return Unpooled.wrappedBuffer(packet, 4, packet.length - 4);
    }

    private static void write(OutputStream out, ByteBuf buf) throws IOException {
        try {
            out.write(ByteBufUtil.getBytes(buf));
            out.flush();
        } finally {
            buf.release();
        }
    }
}
