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
}
