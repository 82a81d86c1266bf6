package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.command.ComQuery;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.ResponseTracker;
import io.mysqlmux.proxy.config.UserConfig;
import io.netty.channel.EventLoop;

import java.util.List;
import java.util.function.Consumer;

/**
 * One statement on a server connection of its own, opened for it and closed after: a KILL QUERY,
 * a look at the processlist. The pool may be full (often with the very session concerned), and
 * such a statement must not wait in its queue.
 */
public final class SideQuery {

    private SideQuery() {
    }

    /** Runs {@code sql} as {@code user}; {@code done} gets the outcome on {@code loop}, rows included. */
    public static void run(BackendConnector connector, UserConfig user, String sql, EventLoop loop,
                           Consumer<InternalCommand.Result> done) {
        connector.open(loop, user, new WireShape(false, true), new BackendConnector.Callback() {
            @Override
            public void connected(BackendConnection connection) {
                InternalCommand.run(connection, loop, new ComQuery(sql)::write, ExpectedResponse.RESULT, true,
                        (c, result) -> {
                            c.close();
                            done.accept(result);
                        });
            }

            @Override
            public void failed(String reason, ErrPacket serverError) {
                done.accept(new InternalCommand.Result(null, serverError, List.of(), ResponseTracker.NO_STATUS,
                        serverError == null ? new IllegalStateException(reason) : null, -1, List.of()));
            }
        });
    }
}
