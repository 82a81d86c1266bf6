package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.frame.PacketEncoder;
import io.mysqlmux.protocol.frame.Packets;
import io.mysqlmux.protocol.handshake.ClientLogin;
import io.mysqlmux.protocol.handshake.LoginStep;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;

/**
 * Reads a new server connection during the connection phase and drives {@link ClientLogin}: greeting,
 * handshake response, auth switch or caching_sha2 rounds, until the server's OK or ERR.
 */
final class BackendLogin implements BackendReceiver {

    interface Callback {
        void loggedIn(BackendConnection connection, ClientLogin login);

        /** @param serverError the server's ERR, or null when the connection failed */
        void failed(BackendConnection connection, String reason, ErrPacket serverError);
    }

    private final EventExecutor loop;
    private final ClientLogin login;
    private final Callback callback;
    private boolean greeted;
    private boolean finished;

    /** @param greeted true when the greeting is behind (COM_CHANGE_USER on a logged-in connection) */
    BackendLogin(EventExecutor loop, ClientLogin login, Callback callback, boolean greeted) {
        this.loop = loop;
        this.login = login;
        this.callback = callback;
        this.greeted = greeted;
    }

    @Override
    public EventExecutor executor() {
        return loop;
    }

    @Override
    public void onBackendPacket(BackendConnection connection, ByteBuf frame) {
        try {
            ByteBuf payload = Packets.payload(frame);
            int sequenceId = Packets.sequenceId(frame);
            LoginStep step = greeted ? login.onPacket(payload, sequenceId) : login.onGreeting(payload, sequenceId);
            greeted = true;
            act(connection, step);
        } catch (MalformedPacketException | IllegalArgumentException e) {
            fail(connection, "unreadable login packet: " + e.getMessage(), null);
        } finally {
            frame.release();
        }
    }

    private void act(BackendConnection connection, LoginStep step) {
        if (step instanceof LoginStep.Send send) {
            connection.write(PacketEncoder.encode(connection.channel().alloc(), send.sequenceId(), send.payload()));
        } else if (step instanceof LoginStep.Done) {
            finished = true;
            callback.loggedIn(connection, login);
        } else if (step instanceof LoginStep.Failed failed) {
            fail(connection, failed.error().message(), failed.error());
        }
    }

    private void fail(BackendConnection connection, String reason, ErrPacket serverError) {
        if (!finished) {
            finished = true;
            connection.close();
            callback.failed(connection, reason, serverError);
        }
    }

    @Override
    public void onBackendReadComplete(BackendConnection connection) {
    }

    @Override
    public void onBackendClosed(BackendConnection connection, Throwable cause) {
        fail(connection, cause == null ? "the server closed the connection during login" : cause.toString(), null);
    }
}
