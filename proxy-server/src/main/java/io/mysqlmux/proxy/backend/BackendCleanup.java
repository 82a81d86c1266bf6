package io.mysqlmux.proxy.backend;

import io.mysqlmux.protocol.command.ComQuery;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a server connection back to a state another client may see: roll back what a departed
 * client left open, reset what it pinned, and put the proxy's session tracking back when a client
 * changed it. A connection whose cleanup fails is closed, never lent.
 */
public final class BackendCleanup {
    private static final Logger log = LoggerFactory.getLogger(BackendCleanup.class);

    private BackendCleanup() {
    }

    /** Turns the proxy's session trackers back on (a client's SET changed them), then runs {@code next}. */
    public static void restoreTracking(BackendConnection connection, EventExecutor executor,
                                       InternalCommand.Callback next) {
        InternalCommand.run(connection, executor, new ComQuery(BackendConnector.TRACKING_SETUP)::write,
                ExpectedResponse.RESULT, false, next);
    }

    /** The holder left inside a transaction: ROLLBACK, then back to the pool. */
    public static void rollbackThenRelease(BackendConnection connection) {
        connection.moveTo(BackendConnection.State.CLEANING);
        onHomeLoop(connection, () -> InternalCommand.run(connection, connection.homeLoop(),
                new ComQuery("ROLLBACK")::write, ExpectedResponse.RESULT, false, (c, result) -> {
                    if (result.succeeded() && !ServerStatus.isInTransaction(result.status())) {
                        c.pool().release(c);
                    } else {
                        log.info("{}: rollback for a departed client failed ({}); closing it", c, result.problem());
                        c.pool().discard(c);
                    }
                }));
    }

    /**
     * The holder left state that cannot be undone piecemeal (user variables, temporary tables,
     * locks, ...): COM_RESET_CONNECTION drops all of it and rolls back, then tracking goes back on.
     * The server keeps the default schema; every session variable returns to its global value.
     */
    public static void resetThenRelease(BackendConnection connection) {
        connection.moveTo(BackendConnection.State.CLEANING);
        onHomeLoop(connection, () -> InternalCommand.run(connection, connection.homeLoop(),
                out -> out.writeByte(CommandCode.COM_RESET_CONNECTION.code()), ExpectedResponse.RESULT, false,
                (c, reset) -> {
                    if (!reset.succeeded()) {
                        log.info("{}: reset for a departed client failed ({}); closing it", c, reset.problem());
                        c.pool().discard(c);
                        return;
                    }
                    c.sessionState().resetVariables();
                    c.statements().clear();
                    restoreTracking(c, c.homeLoop(), (c2, tracking) -> {
                        if (tracking.succeeded()) {
                            c2.pool().release(c2);
                        } else {
                            c2.pool().discard(c2);
                        }
                    });
                }));
    }

    private static void onHomeLoop(BackendConnection connection, Runnable task) {
        if (connection.homeLoop().inEventLoop()) {
            task.run();
        } else {
            connection.homeLoop().execute(task);
        }
    }
}
