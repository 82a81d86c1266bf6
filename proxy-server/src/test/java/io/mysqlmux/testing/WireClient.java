package io.mysqlmux.testing;

import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.PacketPayload;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.handshake.ClientLogin;
import io.mysqlmux.protocol.handshake.LoginStep;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.PacketKind;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.protocol.wire.Capability;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A blocking MySQL client on a plain socket, built on the project's own codec, for tests that must
 * choose capabilities byte by byte (classic EOF, no session tracking, local files ...) and look at
 * exactly what comes back. Not for production use.
 */
public final class WireClient implements AutoCloseable {
    /** What most drivers ask for. */
    public static final long MODERN = Capability.CLIENT_LONG_PASSWORD | Capability.CLIENT_LONG_FLAG
            | Capability.CLIENT_CONNECT_WITH_DB | Capability.CLIENT_PROTOCOL_41 | Capability.CLIENT_TRANSACTIONS
            | Capability.CLIENT_SECURE_CONNECTION | Capability.CLIENT_MULTI_RESULTS | Capability.CLIENT_PS_MULTI_RESULTS
            | Capability.CLIENT_PLUGIN_AUTH | Capability.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | Capability.CLIENT_CONNECT_ATTRS | Capability.CLIENT_DEPRECATE_EOF | Capability.CLIENT_SESSION_TRACK;
    /** An old-style client: EOF packets, no session tracking. */
    public static final long CLASSIC = MODERN & ~(Capability.CLIENT_DEPRECATE_EOF | Capability.CLIENT_SESSION_TRACK);

    /** One packet of a response, with its classification. */
    public record Packet(PacketKind kind, byte[] bytes) {
        public int sequenceId() {
            return bytes[3] & 0xFF;
        }

        public int firstByte() {
            return bytes.length > 4 ? bytes[4] & 0xFF : -1;
        }

        /** The payload (without the header). */
        public ByteBuf payload() {
            return Unpooled.wrappedBuffer(bytes, 4, bytes.length - 4);
        }

        public String text() {
            return new String(bytes, 4, bytes.length - 4, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Capability negotiated;
    private final ResponseTracker tracker;
    private final long connectionId;
    private final OkPacket loginOk;

    private WireClient(Socket socket, ClientLogin login) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.negotiated = login.negotiated();
        this.tracker = new ResponseTracker(negotiated.isDeprecateEof());
        this.connectionId = login.greeting().connectionId();
        this.loginOk = login.ok();
    }

    /** Logs in as {@code account} with exactly {@code capabilities} (AND what the server offers). */
    public static WireClient connect(int port, EmbeddedMariaDb.Account account, String database, long capabilities)
            throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        ClientLogin login = new ClientLogin(new ClientLogin.Settings(account.user(),
                account.password().getBytes(StandardCharsets.UTF_8), database, 45, Capability.of(capabilities),
                Map.of("_client_name", "WireClient"), false));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] greeting = readPacket(in);
        LoginStep step = login.onGreeting(payload(greeting), greeting[3] & 0xFF);
        while (step instanceof LoginStep.Send send) {
            write(socket.getOutputStream(), PacketEncoder.encode(Unpooled.buffer().alloc(), send.sequenceId(), send.payload()));
            byte[] reply = readPacket(in);
            step = login.onPacket(payload(reply), reply[3] & 0xFF);
            while (step instanceof LoginStep.Await) {
                reply = readPacket(in);
                step = login.onPacket(payload(reply), reply[3] & 0xFF);
            }
        }
        if (step instanceof LoginStep.Failed failed) {
            socket.close();
            throw new LoginRefused(failed.error());
        }
        return new WireClient(socket, login);
    }

    public Capability negotiated() {
        return negotiated;
    }

    /** The OK that ended the login. */
    public OkPacket loginOk() {
        return loginOk;
    }

    /** The connection id from the greeting. */
    public long connectionId() {
        return connectionId;
    }

    /** Sends a command (sequence id 0) and reads its whole response. */
    public List<Packet> command(ExpectedResponse expected, PacketPayload payload) throws IOException {
        send(payload);
        return readResponse(expected, 0);
    }

    public List<Packet> query(String sql) throws IOException {
        return command(ExpectedResponse.RESULT, out -> out.writeByte(0x03).writeBytes(sql.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends a command without reading the answer (for pipelining). */
    public void send(PacketPayload payload) throws IOException {
        write(out, PacketEncoder.encode(Unpooled.buffer().alloc(), 0, payload));
    }

    /** Sends raw bytes (packets with headers, as built by the test). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response to a command whose last packet had {@code lastSequenceId}. */
    public List<Packet> readResponse(ExpectedResponse expected, int lastSequenceId) throws IOException {
        tracker.start(expected, lastSequenceId);
        List<Packet> packets = new ArrayList<>();
        while (!tracker.isDone()) {
            byte[] packet = readPacket(in);
            ByteBuf frame = Unpooled.wrappedBuffer(packet);
            packets.add(new Packet(tracker.onPacket(frame), packet));
            if (packets.get(packets.size() - 1).kind() == PacketKind.LOCAL_INFILE_REQUEST) {
                break;
            }
        }
        return packets;
    }

    /** After a LOCAL INFILE request: sends {@code data} as one packet and the empty end packet, reads the answer. */
    public List<Packet> sendFile(byte[] data, int requestSequenceId) throws IOException {
        int first = Packets.nextSequenceId(requestSequenceId);
        int last = Packets.nextSequenceId(first);
        ByteBuf file = PacketEncoder.encode(Unpooled.buffer().alloc(), first, o -> o.writeBytes(data));
        write(out, Unpooled.wrappedBuffer(file, PacketEncoder.emptyPacket(Unpooled.buffer().alloc(), last)));
        tracker.clientSent(last);
        List<Packet> packets = new ArrayList<>();
        while (!tracker.isDone()) {
            byte[] packet = readPacket(in);
            packets.add(new Packet(tracker.onPacket(Unpooled.wrappedBuffer(packet)), packet));
        }
        return packets;
    }

    /** True once the server closed the connection (reads until EOF or a timeout). */
    public boolean isClosedByPeer() throws IOException {
        socket.setSoTimeout(5_000);
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
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

    /** The login ended in an ERR. */
    public static final class LoginRefused extends EOFException {
        private static final long serialVersionUID = 1L;
        private final transient ErrPacket error;

        LoginRefused(ErrPacket error) {
            super(error.toString());
            this.error = error;
        }

        public ErrPacket error() {
            return error;
        }
    }
}
