package io.mysqlmux.proxy.session;

import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendReceiver;
import io.mysqlmux.proxy.error.ProxyError;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;

/**
 * Reads the server connection a session holds, on the session's loop: the packets of the running
 * exchange's response go to it; anything else while the session holds the connection between
 * commands means the server is ending it (MySQL 8 writes ERR 4031 before it closes an idle
 * connection; a KILL closes it), and then the session cannot go on elsewhere ({@link #lost}).
 */
final class HeldConnectionReader implements BackendReceiver {
    private final ClientSession session;

    HeldConnectionReader(ClientSession session) {
        this.session = session;
    }

    @Override
    public EventExecutor executor() {
        return session.executor();
    }

    @Override
    public void onBackendPacket(BackendConnection connection, ByteBuf frame) {
        CommandExchange running = session.exchange();
        boolean held = connection == session.backend();
        if (held && running != null && running.isReceiving()) {
            running.onPacket(frame);
            return;
        }
        frame.release();
        if (held && !session.isClosed() && (running == null || !running.isUnderWay())) {
            session.close("server connection " + connection + " sent a packet between commands");
        }
    }

    @Override
    public void onBackendReadComplete(BackendConnection connection) {
        session.client().flush();
    }

    @Override
    public void onBackendWritabilityChanged(BackendConnection connection, boolean writable) {
        session.updateClientReading();
    }

    @Override
    public void onBackendClosed(BackendConnection connection, Throwable cause) {
        if (connection != session.backend() || session.isClosed()) {
            return;
        }
        // A held connection carries a transaction or pinned state, or a response under way: the
        // session cannot go on elsewhere.
        lost("server connection " + connection + " closed" + (cause == null ? "" : ": " + cause.getMessage()));
    }

    /**
     * The server connection the session held (for a transaction or a pin) is gone, and what it held
     * with it. The client learns why, unless part of a response already reached it.
     */
    void lost(String why) {
        CommandExchange running = session.exchange();
        PinReason hold = session.tracked().holdFor(session.status());
        session.lease().discard(why);
        if (running != null && running.isReceiving() && session.response().forwardedAny()) {
            session.close("server connection lost mid-response: " + why);
        } else {
            session.fail(ProxyError.SESSION_STATE_LOST.packet(hold == null ? "state" : hold.description(), why), 1);
        }
    }
}
