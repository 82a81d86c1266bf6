package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendConnector;
import io.mysqlmux.proxy.backend.BackendSchemaReset;
import io.mysqlmux.proxy.backend.InternalCommand;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Runs the {@link StateSync} steps on a server connection, one after another, and tells the session
 * how it went. A connection whose schema must be cleared logs in again first. Each successful step
 * is recorded on the connection's state at once, so a step that fails later leaves it known.
 */
final class SessionSync {
    private static final Logger log = LoggerFactory.getLogger(SessionSync.class);

    /** Where a sync ends. Called on the session's executor. */
    interface Listener {
        /** The connection has the wanted state. */
        void synced();

        /** The server refused part of the state (unknown schema, bad value); nothing was sent for the client. */
        void refused(ErrPacket error);

        /** The connection broke or could not be reset; it must be discarded. */
        void lost(BackendConnection connection, String why);
    }

    private SessionSync() {
    }

    static void run(BackendConnection backend, EventExecutor executor, TrackedState tracked, Object owner,
                    Listener listener) {
        if (backend.defaultsEpoch() < tracked.defaultsEpoch()) {
            // Its session defaults predate a SET GLOBAL this session started after: reset to the globals.
            InternalCommand.run(backend, executor, out -> out.writeByte(CommandCode.COM_RESET_CONNECTION.code()),
                    ExpectedResponse.RESULT, false, (connection, reset) -> {
                        if (!reset.succeeded()) {
                            listener.lost(connection, "resetting to the current globals: " + reset.problem());
                            return;
                        }
                        connection.sessionState().resetVariables();
                        connection.statements().clear();
                        connection.defaultsEpoch(tracked.defaultsEpoch());
                        BackendConnector.restoreTracking(connection, executor, (c, tracking) -> {
                            if (tracking.succeeded()) {
                                run(c, executor, tracked, owner, listener);
                            } else {
                                listener.lost(c, "restoring session tracking: " + tracking.problem());
                            }
                        });
                    });
            return;
        }
        if (StateSync.needsSchemaCleared(backend.sessionState(), tracked.wanted())) {
            BackendSchemaReset.run(backend, executor, (connection, result) -> {
                if (result.succeeded()) {
                    connection.defaultsEpoch(Math.max(connection.defaultsEpoch(), tracked.defaultsEpoch()));
                    run(connection, executor, tracked, owner, listener);
                } else {
                    listener.lost(connection, "resetting to no schema: " + result.problem());
                }
            });
            return;
        }
        List<StateSync.Step> steps = StateSync.steps(backend.sessionState(), tracked.wanted(),
                ServerStatus.noBackslashEscapes(backend.statusFlags()));
        runStep(backend, executor, steps, 0, owner, listener);
    }

    private static void runStep(BackendConnection backend, EventExecutor executor, List<StateSync.Step> steps, int index,
                                Object owner, Listener listener) {
        if (index == steps.size()) {
            listener.synced();
            return;
        }
        StateSync.Step step = steps.get(index);
        log.debug("{} on {}: {}", owner, backend, step.description());
        InternalCommand.run(backend, executor, step.command(), ExpectedResponse.RESULT, false, (connection, result) -> {
            if (result.failure() != null) {
                listener.lost(connection, result.failure().toString());
            } else if (result.error() != null) {
                listener.refused(result.error());
            } else {
                step.apply(connection.sessionState());
                runStep(connection, executor, steps, index + 1, owner, listener);
            }
        });
    }
}
