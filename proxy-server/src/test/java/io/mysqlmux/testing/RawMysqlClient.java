package io.mysqlmux.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A deliberately tiny MySQL client for {@link VectorRecorder}: plain socket, blocking I/O, and a copy
 * of every byte that crosses the wire in either direction. It knows framing and sequence ids only;
 * {@link RawLogin} does the connection phase and {@link ResponseReader} finds where a response ends.
 * It shares no code with the codec under test, so a bug there cannot hide in the vectors.
 */
final class RawMysqlClient implements Closeable {

    static final int MAX_PAYLOAD = 0xFFFFFF;
    static final byte COM_QUIT = 0x01;
    private static final int READ_TIMEOUT_MS = 15_000;
    // How long the server must stay silent after a response we believe complete.
    private static final int SILENCE_MS = 250;

    /** The bytes each side sent since the last {@link #takeCapture()}, packet headers included. */
    record Capture(byte[] client, byte[] server) {}

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream sentByClient = new ByteArrayOutputStream();
    private final ByteArrayOutputStream sentByServer = new ByteArrayOutputStream();
    // Id of the last packet sent or received in the current exchange; -1 before a command.
    private int lastSequenceId = -1;

    private RawMysqlClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = socket.getOutputStream();
    }

    static RawMysqlClient connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        return new RawMysqlClient(socket);
    }

    /** A command starts a new exchange: its first packet has sequence id 0. */
    void startCommand() {
        lastSequenceId = -1;
    }

    /** Sends one payload (< 16 MiB) as one packet with the next sequence id. */
    void writePacket(byte[] payload) throws IOException {
        if (payload.length >= MAX_PAYLOAD) {
            throw new IllegalArgumentException("the recorder sends no split packets: " + payload.length);
        }
        int sequenceId = (lastSequenceId + 1) & 0xFF;
        byte[] packet = new byte[4 + payload.length];
        packet[0] = (byte) payload.length;
        packet[1] = (byte) (payload.length >> 8);
        packet[2] = (byte) (payload.length >> 16);
        packet[3] = (byte) sequenceId;
        System.arraycopy(payload, 0, packet, 4, payload.length);
        out.write(packet);
        out.flush();
        sentByClient.write(packet, 0, packet.length);
        lastSequenceId = sequenceId;
    }

    /**
     * Reads one logical packet: physical packets are joined while their length is 0xFFFFFF (a
     * payload of exactly n × 0xFFFFFF ends with an empty packet). Checks each sequence id.
     */
    byte[] readPacket() throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int length;
        do {
            byte[] header = in.readNBytes(4);
            if (header.length < 4) {
                throw new EOFException("server closed the connection mid-response");
            }
            length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
            checkSequenceId(header[3] & 0xFF);
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException("server closed the connection inside a packet");
            }
            sentByServer.write(header, 0, 4);
            sentByServer.write(body, 0, body.length);
            payload.write(body, 0, body.length);
        } while (length == MAX_PAYLOAD);
        return payload.toByteArray();
    }

    private void checkSequenceId(int sequenceId) {
        int expected = (lastSequenceId + 1) & 0xFF;
        if (sequenceId != expected) {
            throw new IllegalStateException("server packet has sequence id " + sequenceId + ", expected "
                    + expected);
        }
        lastSequenceId = sequenceId;
    }

    /** Fails if the server sends anything within a short while: our idea of the response end was wrong. */
    void expectSilence() throws IOException {
        socket.setSoTimeout(SILENCE_MS);
        try {
            int b = in.read();
            throw new IllegalStateException(b < 0 ? "server closed the connection"
                    : "server sent more bytes after the response ended (first byte 0x"
                            + Integer.toHexString(b) + ")");
        } catch (SocketTimeoutException expected) {
            // silent, as it should be
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MS);
        }
    }

    /** Waits for the server to close the connection (after COM_QUIT); fails if it sends anything. */
    void expectClosed() throws IOException {
        int b = in.read();
        if (b >= 0) {
            throw new IllegalStateException("expected close, got byte 0x" + Integer.toHexString(b));
        }
    }

    /** Returns what was captured since the last call and starts a new capture. */
    Capture takeCapture() {
        Capture capture = new Capture(sentByClient.toByteArray(), sentByServer.toByteArray());
        sentByClient.reset();
        sentByServer.reset();
        return capture;
    }

    /**
     * Says COM_QUIT before closing, so the server does not log an aborted connection; errors are
     * ignored (the server may have closed first, e.g. after COM_QUIT or a failed login).
     */
    @Override
    public void close() throws IOException {
        try {
            startCommand();
            writePacket(new byte[] {COM_QUIT});
        } catch (IOException ignored) {
            // already gone
        } finally {
            socket.close();
        }
    }
}
