package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.command.ComQuery;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.ErrorCode;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.proxy.config.UserConfig;
import io.netty.channel.EventLoop;

import java.util.function.Consumer;

/**
 * Sends {@code KILL QUERY <server thread>} on a connection of its own, opened for the purpose and
 * closed after: the pool may be full (often with the very statement to be killed), and a kill must
 * not wait in its queue.
 */
public final class KillSender {

    private KillSender() {
    }

    /** @param done gets the server's ERR, or null when the kill was accepted (on {@code loop}) */
    public static void killQuery(BackendConnector connector, UserConfig user, long serverThreadId, EventLoop loop,
                                 Consumer<ErrPacket> done) {
        connector.open(loop, user, new WireShape(false, true), new BackendConnector.Callback() {
            @Override
            public void connected(BackendConnection connection) {
                InternalCommand.run(connection, loop, new ComQuery("KILL QUERY " + serverThreadId)::write,
                        ExpectedResponse.RESULT, false, (c, result) -> {
                            c.close();
                            done.accept(result.error() != null ? result.error() : result.failure() == null ? null
                                    : ErrPacket.of(ErrorCode.ER_UNKNOWN_ERROR,
                                    "mysqlmux could not send KILL QUERY: " + result.failure().getMessage()));
                        });
            }

            @Override
            public void failed(String reason, ErrPacket serverError) {
                done.accept(serverError != null ? serverError : ErrPacket.of(
                        ErrorCode.ER_UNKNOWN_ERROR,
                        "mysqlmux could not open a connection to send KILL QUERY: " + reason));
            }
        });
    }
}
