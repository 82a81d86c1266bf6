package io.mysqlmux.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;

/**
 * Whoever reads a server connection's packets right now: the client session it is leased to, or
 * one of the proxy's own commands (login, setup, state sync, reset). Callbacks run on
 * {@link #executor()}; when that is not the connection's own event loop, packets are handed over
 * in batches with {@code execute()} and keep their order.
 */
public interface BackendReceiver {

    /** The event loop the callbacks must run on. */
    EventExecutor executor();

    /** One frame from the server (consumed: the receiver releases or forwards it). */
    void onBackendPacket(BackendConnection connection, ByteBuf frame);

    /** The end of one read from the socket: the moment to flush what was forwarded. */
    void onBackendReadComplete(BackendConnection connection);

    /** The connection's outbound buffer crossed a water mark (for client → server backpressure). */
    default void onBackendWritabilityChanged(BackendConnection connection, boolean writable) {
    }

    /** The connection closed or failed; {@code cause} may be null for an orderly close. */
    void onBackendClosed(BackendConnection connection, Throwable cause);
}
