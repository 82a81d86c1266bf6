package io.mysqlmux.proxy.pool;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.SessionState;
import io.netty.util.concurrent.EventExecutor;

/**
 * Who asks a pool for a server connection (a client session). Exactly one of the two callbacks
 * answers each acquire, on {@link #executor()}. A requester that has gone away by then must still
 * give back the lease it is handed.
 */
public interface LeaseRequester {

    EventExecutor executor();

    /** The client id, for views and logs. */
    long clientId();

    /** The connection is the requester's until it gives the lease back. */
    void onLeased(Lease lease);

    /** No connection could be had (queue timeout, queue full, server unreachable); the command fails. */
    void onLeaseFailed(ErrPacket error);

    /** The connection this requester used last, which it would rather have again; may be null. */
    default BackendConnection preferred() {
        return null;
    }

    /** The session state the requester needs; an idle connection that already has it is preferred. */
    default SessionState wantedState() {
        return null;
    }
}
