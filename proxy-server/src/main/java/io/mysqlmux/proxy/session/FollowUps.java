package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.command.ComQuery;
import io.mysqlmux.protocol.packet.SessionTrackSettings;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendConnector;
import io.mysqlmux.proxy.backend.InternalCommand;
import io.netty.util.concurrent.EventExecutor;

import java.util.List;
import java.util.function.Consumer;

/**
 * Commands the proxy runs on a client's server connection after a response, before the connection
 * may move on: reading the variables a statement changed without the tracker saying so (the
 * collation SET NAMES implies; plugin variables such as innodb_lock_wait_timeout), and putting back
 * session tracking a client statement changed (after reading what the client set, which decides
 * what its OK packets report). Run one after another; the outcome is reported once.
 */
final class FollowUps {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FollowUps.class);
    /** The client's own tracker settings, as its statement left them (the server does not always report them). */
    private static final String CLIENT_TRACKING = "SELECT @@session.session_track_system_variables,"
            + " @@session.session_track_schema, @@session.session_track_state_change,"
            + " @@session.session_track_transaction_info";

    private FollowUps() {
    }

    /**
     * @param clientTracking gets the connection's tracker settings before the proxy's are put back
     * @param done gets null when everything succeeded, else what failed (the connection must then be closed)
     */
    static void run(BackendConnection backend, EventExecutor executor, TrackedState tracked, boolean restoreTracking,
                    List<String> toRead, Consumer<SessionTrackSettings> clientTracking, Consumer<String> done) {
        if (!toRead.isEmpty()) {
            StringBuilder sql = new StringBuilder("SELECT ");
            for (int i = 0; i < toRead.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("@@session.").append(toRead.get(i));
            }
            InternalCommand.run(backend, executor, new ComQuery(sql.toString())::write, ExpectedResponse.RESULT, true,
                    (connection, result) -> {
                        if (result.failure() != null) {
                            done.accept("reading " + toRead + ": " + result.problem());
                            return;
                        }
                        if (result.error() != null || result.rows().isEmpty()) {
                            // The connection is fine, but its state is not known: it stays with the session.
                            log.warn("{}: could not read {} ({}); the session keeps its server connection",
                                    connection, toRead, result.problem());
                            tracked.pinFor(PinReason.UNKNOWN_STATE_CHANGE);
                            run(connection, executor, tracked, restoreTracking, List.of(), clientTracking, done);
                            return;
                        }
                        String[] values = result.rows().get(0);
                        for (int i = 0; i < toRead.size(); i++) {
                            String name = toRead.get(i);
                            // A NULL character set is how the tracker spells it too: empty.
                            String value = values[i] == null && name.startsWith("character_set_") ? "" : values[i];
                            if (value != null) {
                                tracked.variableRead(name, value, connection.sessionState());
                            }
                        }
                        run(connection, executor, tracked, restoreTracking, List.of(), clientTracking, done);
                    });
            return;
        }
        if (restoreTracking) {
            InternalCommand.run(backend, executor, new ComQuery(CLIENT_TRACKING)::write, ExpectedResponse.RESULT, true,
                    (connection, result) -> {
                        if (!result.succeeded() || result.rows().isEmpty()) {
                            done.accept("reading session tracking: " + result.problem());
                            return;
                        }
                        String[] row = result.rows().get(0);
                        clientTracking.accept(SessionTrackSettings.of(row[0], row[1], row[2], row[3]));
                        BackendConnector.restoreTracking(connection, executor, (c, restored) -> done.accept(
                                restored.succeeded() ? null : "restoring session tracking: " + restored.problem()));
                    });
            return;
        }
        done.accept(null);
    }

    /**
     * Copies the session's diagnostics area off the connection (SHOW WARNINGS) before the connection
     * serves anyone else. Whatever happens, {@code done} runs: a copy that failed leaves the session
     * with none, which is what the server would show after the connection's loss.
     */
    static void copyDiagnostics(BackendConnection backend, EventExecutor executor, SessionDiagnostics diagnostics,
                                Consumer<String> done) {
        InternalCommand.run(backend, executor, new ComQuery("SHOW WARNINGS")::write, ExpectedResponse.RESULT, true,
                (connection, result) -> {
                    if (result.succeeded()) {
                        diagnostics.copied(result.rawRows());
                        done.accept(null);
                    } else {
                        log.info("{}: could not copy a session's warnings ({})", connection, result.problem());
                        diagnostics.clear();
                        done.accept(result.problem());
                    }
                });
    }
}
