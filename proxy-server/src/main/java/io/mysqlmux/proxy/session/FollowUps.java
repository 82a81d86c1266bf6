package io.mysqlmux.proxy.session;

import io.mysqlmux.protocol.command.ComQuery;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.proxy.backend.BackendConnection;
import io.mysqlmux.proxy.backend.BackendConnector;
import io.mysqlmux.proxy.backend.CollationTable;
import io.mysqlmux.proxy.backend.InternalCommand;
import io.netty.util.concurrent.EventExecutor;

import java.util.function.Consumer;

/**
 * Commands the proxy runs on a client's server connection after a response, before the connection
 * may move on: putting back session tracking a client statement changed, and reading the
 * collation_connection a SET NAMES changed without the tracker saying so. Run one after another;
 * the outcome is reported once.
 */
final class FollowUps {

    private FollowUps() {
    }

    /**
     * @param done gets null when everything succeeded, else what failed (the connection must then be closed)
     */
    static void run(BackendConnection backend, EventExecutor executor, TrackedState tracked, boolean restoreTracking,
                    boolean readCollation, Consumer<String> done) {
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
                        run(connection, executor, tracked, restoreTracking, false, done);
                    });
            return;
        }
        if (restoreTracking) {
            BackendConnector.restoreTracking(backend, executor, (connection, result) ->
                    done.accept(result.succeeded() ? null : "restoring session tracking: " + result.problem()));
            return;
        }
        done.accept(null);
    }
}
