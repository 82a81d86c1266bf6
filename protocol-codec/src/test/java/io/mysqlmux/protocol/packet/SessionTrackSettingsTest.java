package io.mysqlmux.protocol.packet;

import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MariaDbVectors;
import io.mysqlmux.protocol.packet.SessionTrackSettings.TransactionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The captured {@code _session_track} OKs come from a connection tracking everything, as the
 * proxy's server connections do; filtered, they must say what MariaDB tells a session with the
 * settings named (defaults: the five default variables, schema on, the rest off).
 */
class SessionTrackSettingsTest {
    private static final SessionTrackSettings DEFAULTS = SessionTrackSettings.SERVER_DEFAULTS;

    private static SessionStateChanges filtered(String file, SessionTrackSettings settings) {
        byte[] block = settings.filter(state(file), name -> false);
        return block == null ? null : SessionStateChanges.parse(block);
    }

    private static byte[] state(String file) {
        Vector vector = MariaDbVectors.load(file);
        List<byte[]> server = vector.serverPackets();
        byte[] ok = server.get(server.size() - 1);
        return OkPacket.read(MariaDbVectors.payload(ok), MariaDbVectors.capabilities(vector)).sessionState();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "set_user_variable | ",
        "create_temporary_table | ",
        "commit | ",
        "start_transaction | ",
        "set_transaction_isolation_serializable | ",
        "set_time_zone | time_zone=+09:00",
        "set_names_latin1 | character_set_connection=latin1 character_set_client=latin1 character_set_results=latin1",
        "set_character_set_results_null | character_set_results=",
    })
    void defaultTrackersSeeOnlyTheirVariablesAndNoStateChangeFlag(String step, String variables) {
        SessionStateChanges changes = filtered("com_query/" + step + "_session_track.hex", DEFAULTS);
        if (variables == null) {
            assertNull(changes, "nothing a default session is told about");
            return;
        }
        assertEquals(variables, String.join(" ", changes.systemVariables().stream()
                .map(v -> v.name() + "=" + v.value()).toList()));
        assertFalse(changes.stateChanged());
        assertNull(changes.transactionState());
    }

    @Test
    void schemaChangeIsReportedUnlessItsTrackerIsOff() {
        SessionStateChanges changes = filtered("com_query/use_app_session_track.hex", DEFAULTS);
        assertEquals("app", changes.schema());
        assertFalse(changes.stateChanged());
        assertNull(filtered("com_query/use_app_session_track.hex", DEFAULTS.with("session_track_schema", "OFF")));
    }

    @Test
    void transactionInfoFollowsItsLevel() {
        SessionTrackSettings state = DEFAULTS.with("session_track_transaction_info", "STATE");
        SessionStateChanges changes = filtered("com_query/start_transaction_session_track.hex", state);
        assertEquals("T_______", changes.transactionState());
        assertNull(changes.transactionCharacteristics());

        SessionTrackSettings characteristics = DEFAULTS.with("session_track_transaction_info", "CHARACTERISTICS");
        changes = filtered("com_query/start_transaction_session_track.hex", characteristics);
        assertEquals("T_______", changes.transactionState());
        assertEquals("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; START TRANSACTION;",
                changes.transactionCharacteristics());
    }

    @Test
    void trackingEverythingKeepsTheWholeBlock() {
        SessionTrackSettings all = SessionTrackSettings.of("*", "ON", "ON", "CHARACTERISTICS");
        for (String step : List.of("set_time_zone", "use_app", "set_user_variable", "start_transaction", "commit")) {
            byte[] block = state("com_query/" + step + "_session_track.hex");
            assertArrayEquals(block, all.filter(block, name -> false), step);
        }
    }

    @Test
    void hiddenVariablesGoWhateverTheSettings() {
        SessionTrackSettings all = SessionTrackSettings.of("*", "ON", "ON", "CHARACTERISTICS");
        SessionStateChanges changes = SessionStateChanges.parse(all.filter(state("com_query/set_time_zone_session_track.hex"),
                "time_zone"::equals));
        assertTrue(changes.systemVariables().isEmpty());
        assertTrue(changes.stateChanged());
    }

    /** The proxy's own tracker setup, seen by a client that sent it itself: what was reported is applied. */
    @Test
    void reportedTrackerVariablesChangeTheSettings() {
        SessionStateChanges report = SessionStateChanges.parse(state("com_query/set_session_trackers_session_track.hex"));
        SessionTrackSettings settings = DEFAULTS;
        for (SessionStateChanges.Variable variable : report.systemVariables()) {
            settings = settings.with(variable.name(), variable.value());
        }
        assertTrue(settings.allSystemVariables());
        assertEquals(TransactionInfo.CHARACTERISTICS, settings.transactionInfo());
        assertTrue(settings.reportsVariable("SQL_MODE"));
        assertEquals(settings, settings.with("time_zone", "+01:00"), "other variables leave the settings alone");
    }

    @Test
    void readsValuesAsSelectAndTheTrackerGiveThem() {
        SessionTrackSettings selected = SessionTrackSettings.of("autocommit, Time_Zone", "1", "0", "1");
        assertEquals(Set.of("autocommit", "time_zone"), selected.systemVariables());
        assertTrue(selected.schema());
        assertFalse(selected.stateChange());
        assertEquals(TransactionInfo.STATE, selected.transactionInfo());
        assertEquals(DEFAULTS, SessionTrackSettings.of(
                "autocommit,character_set_client,character_set_connection,character_set_results,time_zone",
                "1", "0", "OFF"));
        assertFalse(SessionTrackSettings.of("", "ON", "OFF", "OFF").reportsVariable("autocommit"));
    }

    /** MariaDB 11.4.5 answered a SESSION_TRACK login into {@code app} with the schema entry alone. */
    @Test
    void loginIntoASchemaReportsItAsTheServerDoes() {
        assertArrayEquals(state("handshake/response_session_track_ok.hex"), DEFAULTS.loginState("app"));
        assertNull(DEFAULTS.loginState(null));
        assertNull(DEFAULTS.with("session_track_schema", "OFF").loginState("app"));
    }

    /** MariaDB 10.11.19 with the trackers switched on globally (checked on the wire). */
    @Test
    void loginWithMoreTrackersOnReportsStateChangeAndTransactionState() {
        SessionTrackSettings state = SessionTrackSettings.of("", "ON", "ON", "STATE");
        SessionStateChanges changes = SessionStateChanges.parse(state.loginState("app"));
        assertEquals("app", changes.schema());
        assertTrue(changes.stateChanged());
        assertEquals("________", changes.transactionState());
        SessionStateChanges noSchema = SessionStateChanges.parse(state.loginState(null));
        assertFalse(noSchema.stateChanged(), "the state-change entry comes with the schema only");
        assertEquals("", SessionStateChanges.parse(SessionTrackSettings.of("", "ON", "OFF", "CHARACTERISTICS")
                .loginState(null)).transactionCharacteristics());
    }
}
