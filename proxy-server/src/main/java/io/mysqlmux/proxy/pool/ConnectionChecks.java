package io.mysqlmux.proxy.pool;

import io.mysqlmux.protocol.command.ComQuery;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendConnector;
import io.mysqlmux.proxy.backend.BackendReceiver;
import io.mysqlmux.proxy.backend.InternalCommand;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's own work on a connection between holders, on its home loop: the COM_PING that
 * validates one that sat idle, the cleaning that makes one a departed client left dirty fit for the
 * next (ROLLBACK, or COM_RESET_CONNECTION with session tracking put back on), and the polite end of
 * one that retires. A connection whose check fails is closed, never lent.
 */
final class ConnectionChecks {
    private static final Logger log = LoggerFactory.getLogger(ConnectionChecks.class);
    /** How long a retired connection's server has to close it after COM_QUIT before this side does. */
    private static final long QUIT_GRACE_MILLIS = 1000;

    private final BackendPool pool;

    ConnectionChecks(BackendPool pool) {
        this.pool = pool;
    }

    /** COM_PING for a connection that sat idle longer than validation_interval. */
    void validate(PooledConnection pooled) {
        BackendConnection connection = pooled.connection();
        onHomeLoop(pooled, () -> InternalCommand.run(connection, pooled.home(),
                out -> out.writeByte(CommandCode.COM_PING.code()), ExpectedResponse.RESULT, false, (c, result) -> {
                    if (result.succeeded()) {
                        pool.checked(pooled);
                    } else {
                        pool.statistics().validationFailed();
                        log.info("pool {}: {} failed its check after sitting idle ({}); closed, another is used",
                                pool.key(), c, result.problem());
                        pool.checkFailed(pooled, "validation failed");
                    }
                }));
    }

    /**
     * Makes a connection its last holder left dirty fit for the next one; {@code whenClean} (may be
     * null) runs once nothing of the holder's is left on it, cleaned or closed.
     */
    void clean(PooledConnection pooled, Lease.Cleanup cleanup, Runnable whenClean) {
        BackendConnection connection = pooled.connection();
        if (cleanup == Lease.Cleanup.ROLLBACK) {
            onHomeLoop(pooled, () -> InternalCommand.run(connection, pooled.home(), new ComQuery("ROLLBACK")::write,
                    ExpectedResponse.RESULT, false, (c, result) -> {
                        if (result.succeeded() && !ServerStatus.isInTransaction(result.status())) {
                            pool.checked(pooled);
                        } else {
                            log.info("{}: rollback for a departed client failed ({}); closing it", c, result.problem());
                            pool.checkFailed(pooled, "rollback failed");
                        }
                        done(whenClean);
                    }));
            return;
        }
        onHomeLoop(pooled, () -> InternalCommand.run(connection, pooled.home(),
                out -> out.writeByte(CommandCode.COM_RESET_CONNECTION.code()), ExpectedResponse.RESULT, false,
                (c, reset) -> {
                    if (!reset.succeeded()) {
                        log.info("{}: reset for a departed client failed ({}); closing it", c, reset.problem());
                        pool.checkFailed(pooled, "reset failed");
                        done(whenClean);
                        return;
                    }
                    c.sessionState().resetVariables();
                    c.statements().clear();
                    c.defaultsEpoch(pool.pools().globalsEpoch());
                    done(whenClean); // the holder's state is gone with the reset
                    BackendConnector.restoreTracking(c, pooled.home(), (c2, tracking) -> {
                        if (tracking.succeeded()) {
                            pool.checked(pooled);
                        } else {
                            pool.checkFailed(pooled, "restoring session tracking failed");
                        }
                    });
                }));
    }

    /** Ends a healthy connection with COM_QUIT (no "Aborted connection" on the server); its slot frees at close. */
    void retire(PooledConnection pooled) {
        pooled.connection().quit(QUIT_GRACE_MILLIS);
    }

    /** Closes a connection that cannot be reused; its slot frees at close. */
    void close(PooledConnection pooled, String why) {
        log.debug("pool {}: closing {} ({})", pool.key(), pooled, why);
        pooled.connection().close();
    }

    /** Reads a connection while it is idle: any packet means the server is ending it. */
    BackendReceiver idleWatcher(PooledConnection pooled) {
        return new BackendReceiver() {
            @Override
            public EventExecutor executor() {
                return pooled.home();
            }

            @Override
            public void onBackendPacket(BackendConnection connection, ByteBuf frame) {
                frame.release();
                log.info("{} sent a packet while idle; closing it (the server is probably ending the session)",
                        connection);
                connection.close();
            }

            @Override
            public void onBackendReadComplete(BackendConnection connection) {
            }

            @Override
            public void onBackendClosed(BackendConnection connection, Throwable cause) {
                // The pool learns of every close from the channel itself (BackendPool.gone).
            }
        };
    }

    private static void done(Runnable whenClean) {
        if (whenClean != null) {
            whenClean.run();
        }
    }

    private static void onHomeLoop(PooledConnection pooled, Runnable task) {
        if (pooled.home().inEventLoop()) {
            task.run();
        } else {
            pooled.home().execute(task);
        }
    }
}
