package io.mysqlmux.protocol.packet;

import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.MariaDbVectors;
import io.mysqlmux.protocol.packet.SessionStateChanges.Variable;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionStateChangesTest {

    static Stream<String> sessionTrackVectors() {
        return Stream.concat(MariaDbVectors.in("com_query").stream().filter(p -> p.endsWith("_session_track.hex")),
                Stream.of("handshake/response_session_track_ok.hex"));
    }

    /** Every OK with session state: the flag is set, the block is there, and the OK writes back unchanged. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sessionTrackVectors")
    void everyCapturedStateBlockParsesAndItsOkRoundTrips(String file) {
        Vector vector = MariaDbVectors.load(file);
        Capability caps = MariaDbVectors.capabilities(vector);
        byte[] payload = lastPayload(vector);
        OkPacket ok = OkPacket.read(Unpooled.wrappedBuffer(payload), caps);
        assertTrue(ServerStatus.sessionStateChanged(ok.statusFlags()));
        assertNotNull(ok.sessionState());
        assertNotNull(SessionStateChanges.parse(ok.sessionState()).unknownTypes());
        ByteBuf out = Unpooled.buffer();
        ok.write(out, caps);
        assertArrayEquals(payload, ByteBufUtil.getBytes(out));
    }

    /** Variables are "name=value" joined by ", "; an unquoted empty cell is null. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "com_query/set_session_trackers_session_track.hex | session_track_system_variables=*,"
                + " session_track_transaction_info=CHARACTERISTICS | | true | '' | ________ | true",
        "com_query/set_time_zone_session_track.hex | time_zone=+09:00 | | true | | | true",
        "com_query/use_app_session_track.hex | | app | true | | | true",
        "com_query/set_user_variable_session_track.hex | | | true | | | false",
        "com_query/set_names_latin1_session_track.hex | character_set_connection=latin1,"
                + " character_set_client=latin1, character_set_results=latin1 | | true | | | true",
        "com_query/set_character_set_results_null_session_track.hex | character_set_results= | | true | | | true",
        "com_query/set_transaction_isolation_serializable_session_track.hex | | | false"
                + " | SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; | | false",
        "com_query/start_transaction_session_track.hex | | | false"
                + " | SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; START TRANSACTION; | T_______ | false",
        "com_query/create_temporary_table_session_track.hex | | | true | | | false",
        "com_query/select_in_transaction_session_track.hex | | | false | | T_R___S_ | false",
        "com_query/commit_session_track.hex | | | false | '' | ________ | false",
        "handshake/response_session_track_ok.hex | | app | false | | | true",
    })
    void capturedBlocksSayWhatTheStatementChanged(String file, String variables, String schema, boolean stateChanged,
                                                   String characteristics, String transactionState, boolean movable) {
        SessionStateChanges changes = SessionStateChanges.parse(stateBlock(file));
        assertEquals(variables(variables), changes.systemVariables());
        assertEquals(schema, changes.schema());
        assertEquals(stateChanged, changes.stateChanged());
        assertEquals(characteristics, changes.transactionCharacteristics());
        assertEquals(transactionState, changes.transactionState());
        assertEquals(List.of(), changes.unknownTypes());
        assertEquals(movable, changes.onlyMovableChanges());
    }

    @Test
    void transactionStatusFlagsAgreeWithTheTrackedState() {
        int started = okOf("com_query/start_transaction_session_track.hex").statusFlags();
        int committed = okOf("com_query/commit_session_track.hex").statusFlags();
        assertTrue(ServerStatus.isInTransaction(started));
        assertFalse(ServerStatus.isInTransaction(committed));
    }

    @Test
    void droppingAVariableKeepsTheOtherEntriesInOrder() {
        byte[] block = stateBlock("com_query/set_names_latin1_session_track.hex");
        byte[] kept = SessionStateChanges.withoutVariables(block, "character_set_client"::equals);
        SessionStateChanges changes = SessionStateChanges.parse(kept);
        assertEquals(List.of(new Variable("character_set_connection", "latin1"),
                new Variable("character_set_results", "latin1")), changes.systemVariables());
        assertTrue(changes.stateChanged());
        int entryLength = 2 + 1 + "character_set_client".length() + 1 + "latin1".length();
        assertEquals(block.length - entryLength, kept.length);
    }

    @Test
    void droppingTheOnlyVariableLeavesTheStateChangeEntry() {
        byte[] kept = SessionStateChanges.withoutVariables(stateBlock("com_query/set_time_zone_session_track.hex"),
                "time_zone"::equals);
        assertArrayEquals(new byte[] {2, 1, '1'}, kept);
    }

    @Test
    void droppingNothingKeepsTheBlockByteForByte() {
        byte[] block = stateBlock("com_query/set_session_trackers_session_track.hex");
        assertArrayEquals(block, SessionStateChanges.withoutVariables(block, name -> false));
    }

    @Test
    void droppingEveryEntryLeavesNoBlock() {
        byte[] block = stateBlock("com_query/set_time_zone_session_track.hex");
        byte[] variableEntryOnly = Arrays.copyOf(block, block.length - 3);
        assertNull(SessionStateChanges.withoutVariables(variableEntryOnly, "time_zone"::equals));
    }

    @Test
    void truncatedBlockIsMalformed() {
        byte[] block = stateBlock("com_query/set_names_latin1_session_track.hex");
        byte[] cut = Arrays.copyOf(block, block.length - 1);
        assertThrows(MalformedPacketException.class, () -> SessionStateChanges.parse(cut));
    }

    // ---- helpers ----

    private static byte[] lastPayload(Vector vector) {
        List<byte[]> server = vector.serverPackets();
        return MariaDbVectors.joinedPayload(server.subList(server.size() - 1, server.size()));
    }

    private static OkPacket okOf(String file) {
        Vector vector = MariaDbVectors.load(file);
        return OkPacket.read(Unpooled.wrappedBuffer(lastPayload(vector)), MariaDbVectors.capabilities(vector));
    }

    private static byte[] stateBlock(String file) {
        return okOf(file).sessionState();
    }

    private static List<Variable> variables(String text) {
        List<Variable> list = new ArrayList<>();
        if (text != null) {
            for (String pair : text.split(", ")) {
                int eq = pair.indexOf('=');
                list.add(new Variable(pair.substring(0, eq), pair.substring(eq + 1)));
            }
        }
        return list;
    }
}
