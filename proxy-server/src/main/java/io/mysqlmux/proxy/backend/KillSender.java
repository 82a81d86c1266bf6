package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.proxy.config.UserConfig;
import io.netty.channel.EventLoop;

import java.util.function.Consumer;

/** Sends {@code KILL QUERY <server thread>} as a {@link SideQuery}: a kill must not wait in a full pool's queue. */
public final class KillSender {

    private KillSender() {
    }

    /** @param done gets the server's ERR, or null when the kill was accepted (on {@code loop}) */
    public static void killQuery(BackendConnector connector, UserConfig user, long serverThreadId, EventLoop loop,
                                 Consumer<ErrPacket> done) {
        SideQuery.run(connector, user, "KILL QUERY " + serverThreadId, loop, result -> done.accept(
                result.error() != null ? result.error() : result.failure() == null ? null
                        : ErrPacket.of(ErrorCode.ER_UNKNOWN_ERROR,
                        "mysqlmux could not send KILL QUERY: " + result.failure().getMessage())));
    }
}
