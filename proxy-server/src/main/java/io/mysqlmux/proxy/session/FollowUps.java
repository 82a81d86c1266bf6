package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.command.ComQuery;
import io.mysqlmux.protocol.packet.SessionTrackSettings;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendConnector;
import io.mysqlmux.proxy.backend.CollationTable;
import io.mysqlmux.proxy.backend.InternalCommand;
import io.netty.util.concurrent.EventExecutor;

import java.util.function.Consumer;

/**
 * Commands the proxy runs on a client's server connection after a response, before the connection
 * may move on: putting back session tracking a client statement changed (after reading what the
 * client set, which decides what its OK packets report), and reading the collation_connection a
 * SET NAMES changed without the tracker saying so. Run one after another; the outcome is reported once.
 */
final class FollowUps {
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
                    boolean readCollation, Consumer<SessionTrackSettings> clientTracking, Consumer<String> done) {
        if (readCollation) {
            InternalCommand.run(backend, executor, new ComQuery("SELECT @@collation_connection")::write,
                    ExpectedResponse.RESULT, true, (connection, result) -> {
                        if (!result.succeeded() || result.rows().isEmpty()) {
                            done.accept("reading collation_connection: " + result.problem());
                            return;
                        }
                        String collation = result.rows().get(0)[0];
                        tracked.wanted().variable(CollationTable.COLLATION_CONNECTION, collation);
                        connection.sessionState().variable(CollationTable.COLLATION_CONNECTION, collation);
                        run(connection, executor, tracked, restoreTracking, false, clientTracking, done);
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
}
