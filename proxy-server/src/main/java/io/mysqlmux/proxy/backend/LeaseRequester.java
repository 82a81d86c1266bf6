package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.netty.util.concurrent.EventExecutor;

/** Who asks a pool for a server connection (a client session). Callbacks run on {@link #executor()}. */
public interface LeaseRequester {

    EventExecutor executor();

    /** The connection is now this requester's until it releases or discards it. */
    void onLeased(BackendConnection connection);

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
