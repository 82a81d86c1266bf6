package io.mysqlmux.testing;

import static io.mysqlmux.testing.CapabilityFlags.BASE;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_DEPRECATE_EOF;
import static io.mysqlmux.testing.CapabilityFlags.CLIENT_SESSION_TRACK;

import java.io.IOException;
import java.util.List;

/**
 * {@code com_query/*_session_track.hex}: OK packets carrying session-state blocks, one statement
 * after another on one connection, so each file shows what that statement changed. The session
 * starts in database {@code mysql} so that {@code USE app} really changes the schema.
 */
final class SessionTrackCaptures extends Captures {

    private static final int CAPABILITIES = BASE | CLIENT_DEPRECATE_EOF | CLIENT_SESSION_TRACK;

    private record Step(String name, String sql) {}

    private static final List<Step> STEPS = List.of(
            new Step("set_session_trackers", "SET SESSION session_track_schema=ON, "
                    + "session_track_state_change=ON, session_track_system_variables='*', "
                    + "session_track_transaction_info='CHARACTERISTICS'"),
            new Step("set_time_zone", "SET time_zone='+09:00'"),
            new Step("use_app", "USE app"),
            new Step("set_user_variable", "SET @a=1"),
            new Step("set_names_latin1", "SET NAMES latin1"),
            new Step("set_character_set_results_null", "SET character_set_results=NULL"),
            // before START TRANSACTION: inside a transaction it fails with ERR 1568
            new Step("set_transaction_isolation_serializable", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"),
            new Step("start_transaction", "START TRANSACTION"),
            new Step("create_temporary_table", "CREATE TEMPORARY TABLE t(x int)"),
            new Step("select_in_transaction", "SELECT x FROM t"),
            new Step("commit", "COMMIT"));

    SessionTrackCaptures(EmbeddedMariaDb server, VectorWriter writer) {
        super(server, writer);
    }

    @Override
    void recordAll() throws IOException {
        try (RawSession session = RawSession.open(server, EmbeddedMariaDb.APP, "mysql", CAPABILITIES)) {
            StringBuilder before = new StringBuilder("connected with database 'mysql'");
            for (Step step : STEPS) {
                save("com_query/" + step.name() + "_session_track.hex", headers(session, "COM_QUERY")
                        .setup(before.toString()).statement(step.sql()), session.query(step.sql()));
                before.append("; ").append(step.sql());
            }
        }
    }
}
