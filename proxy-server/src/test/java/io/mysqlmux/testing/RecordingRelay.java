package io.mysqlmux.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on 127.0.0.1 that passes one connection through to a server and keeps a copy of
 * everything each side sent, so that a real driver's bytes can be recorded. One connection only;
 * the copies are complete once {@link #close()} returns.
 */
final class RecordingRelay implements Closeable {

    private static final int TIMEOUT_MS = 15_000;

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
    private final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();
    private final Thread acceptor;
    private volatile Thread clientToServer;
    private volatile Thread serverToClient;
    private volatile Socket client;
    private volatile Socket server;

    private RecordingRelay(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.listener.setSoTimeout(TIMEOUT_MS);
        this.acceptor = new Thread(this::relayOneConnection, "recording-relay");
        this.acceptor.setDaemon(true);
    }

    static RecordingRelay start(String host, int port) throws IOException {
        RecordingRelay relay = new RecordingRelay(new InetSocketAddress(host, port));
        relay.acceptor.start();
        return relay;
    }

    int port() {
        return listener.getLocalPort();
    }

    private void relayOneConnection() {
        try {
            client = listener.accept();
            server = new Socket();
            server.connect(upstream, TIMEOUT_MS);
            clientToServer = pump(client, server, fromClient, "relay-client-to-server");
            serverToClient = pump(server, client, fromServer, "relay-server-to-client");
        } catch (IOException e) {
            // nothing connected in time: the copies stay empty and the caller's checks fail
        }
    }

    private static Thread pump(Socket from, Socket to, ByteArrayOutputStream copy, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (copy) {
                        copy.write(buffer, 0, n);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException closed) {
                // the other pump or close() shut the sockets
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    byte[] clientBytes() {
        synchronized (fromClient) {
            return fromClient.toByteArray();
        }
    }

    byte[] serverBytes() {
        synchronized (fromServer) {
            return fromServer.toByteArray();
        }
    }

    /**
     * Waits (bounded) for the relayed connection to end, which it does once the client has closed
     * it, then closes whatever is left.
     */
    @Override
    public void close() throws IOException {
        listener.close();
        joinQuietly(acceptor);
        joinQuietly(clientToServer);
        joinQuietly(serverToClient);
        closeQuietly(client);
        closeQuietly(server);
    }

    private static void closeQuietly(Socket socket) {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void joinQuietly(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
