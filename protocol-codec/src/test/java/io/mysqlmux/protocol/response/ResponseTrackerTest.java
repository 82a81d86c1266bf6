package io.mysqlmux.protocol.response;

import io.mysqlmux.protocol.HexVectors.Direction;
import io.mysqlmux.protocol.HexVectors.Packet;
import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MalformedPacketException;
import io.mysqlmux.protocol.MariaDbVectors;
import io.mysqlmux.protocol.packet.EofPacket;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.CommandCode;
import io.mysqlmux.protocol.wire.ServerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.mysqlmux.protocol.MariaDbVectors.frame;
import static io.mysqlmux.protocol.MariaDbVectors.payload;
import static io.mysqlmux.protocol.MariaDbVectors.sequenceId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseTrackerTest {

    /**
     * Every captured command and its answer. Left out: {@code handshake/} (no command) and
     * {@code com_change_user/}, whose answer is an auth sub-exchange starting with an AuthSwitchRequest
     * (0xFE) that {@link ExpectedResponse} has no shape for (the proxy refuses COM_CHANGE_USER).
     */
    static Stream<String> commandVectors() {
        return MariaDbVectors.all().stream()
                .filter(path -> !path.startsWith("handshake/") && !path.startsWith("com_change_user/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandVectors")
    void saysDoneAtTheLastServerPacketAndNotBefore(String path) {
        Vector vector = MariaDbVectors.load(path);
        Replay replay = replay(vector);
        assertEquals(vector.serverPackets().size(), replay.kinds.size(), "packets classified");
        assertTrue(replay.tracker.isDone(), "done after the last packet");
        assertFalse(replay.tracker.isOpen());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandVectors")
    void reportsStatusWarningsAndErrorOfTheLastPacket(String path) {
        Vector vector = MariaDbVectors.load(path);
        Capability caps = MariaDbVectors.capabilities(vector);
        ResponseTracker tracker = replay(vector).tracker;
        List<byte[]> server = vector.serverPackets();
        if (server.isEmpty()) {
            assertEquals(ResponseTracker.NO_STATUS, tracker.status());
            return;
        }
        byte[] last = server.get(server.size() - 1);
        int header = last[4] & 0xFF;
        ExpectedResponse expected = expectedFor(vector);
        if (header == ErrPacket.HEADER) {
            assertTrue(tracker.endedWithError());
            assertEquals(ErrPacket.read(payload(last)).code(), tracker.errorCode());
            assertEquals(1, server.size(), "the captured errors are whole responses");
            assertEquals(ResponseTracker.NO_STATUS, tracker.status());
        } else if (header == EofPacket.HEADER && !caps.isDeprecateEof()) {
            EofPacket eof = EofPacket.read(payload(last), caps);
            assertEquals(eof.statusFlags(), tracker.status());
            assertEquals(eof.warnings(), tracker.warnings());
        } else if (header == EofPacket.HEADER || (header == OkPacket.HEADER
                && (expected == ExpectedResponse.RESULT || expected == ExpectedResponse.EXECUTE))) {
            OkPacket ok = OkPacket.read(payload(last), caps);
            assertEquals(ok.statusFlags(), tracker.status());
            assertEquals(ok.warnings(), tracker.warnings());
            assertEquals(ok.affectedRows(), tracker.affectedRows());
            assertEquals(ok.lastInsertId(), tracker.lastInsertId());
        } else {
            // COM_STATISTICS text, or a definition ending a DEPRECATE_EOF prepare: no status on the wire
            assertEquals(ResponseTracker.NO_STATUS, tracker.status());
        }
        if (header != ErrPacket.HEADER) {
            assertFalse(tracker.endedWithError());
            assertEquals(0, tracker.errorCode());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "com_query/select_two_rows_deprecate_eof.hex | COLUMN_COUNT DEFINITION*2 LAST_DEFINITION ROW*2 TERMINATOR",
        "com_query/select_two_rows_classic_eof.hex | COLUMN_COUNT DEFINITION*2 LAST_DEFINITION METADATA_EOF ROW*2 TERMINATOR",
        "com_query/select_empty_deprecate_eof.hex | COLUMN_COUNT DEFINITION LAST_DEFINITION TERMINATOR",
        "com_query/select_empty_classic_eof.hex | COLUMN_COUNT DEFINITION LAST_DEFINITION METADATA_EOF TERMINATOR",
        "com_query/multi_statement_deprecate_eof.hex | COLUMN_COUNT LAST_DEFINITION ROW TERMINATOR"
                + " COLUMN_COUNT LAST_DEFINITION ROW TERMINATOR",
        "com_query/multi_statement_classic_eof.hex | COLUMN_COUNT LAST_DEFINITION METADATA_EOF ROW TERMINATOR"
                + " COLUMN_COUNT LAST_DEFINITION METADATA_EOF ROW TERMINATOR",
        "com_query/call_two_result_sets_deprecate_eof.hex | COLUMN_COUNT LAST_DEFINITION ROW TERMINATOR"
                + " COLUMN_COUNT DEFINITION LAST_DEFINITION ROW TERMINATOR OK",
        "com_query/call_two_result_sets_classic_eof.hex | COLUMN_COUNT LAST_DEFINITION METADATA_EOF ROW TERMINATOR"
                + " COLUMN_COUNT DEFINITION LAST_DEFINITION METADATA_EOF ROW TERMINATOR OK",
        "com_query/select_300_rows_deprecate_eof.hex | COLUMN_COUNT LAST_DEFINITION ROW*300 TERMINATOR",
        "com_query/select_300_rows_classic_eof.hex | COLUMN_COUNT LAST_DEFINITION METADATA_EOF ROW*300 TERMINATOR",
        "com_query/select_row_payload_0xfffffe.hex | COLUMN_COUNT LAST_DEFINITION ROW TERMINATOR",
        "com_query/select_row_payload_0xffffff.hex | COLUMN_COUNT LAST_DEFINITION ROW CONTINUATION TERMINATOR",
        "com_query/select_row_payload_0x1000000.hex | COLUMN_COUNT LAST_DEFINITION ROW CONTINUATION TERMINATOR",
        "com_query/load_data_local_infile.hex | LOCAL_INFILE_REQUEST OK",
        "com_query/syntax_error_err_1064.hex | ERR",
        "com_stmt_execute/execute_cursor_read_only_deprecate_eof.hex | COLUMN_COUNT DEFINITION LAST_DEFINITION TERMINATOR",
        "com_stmt_execute/execute_cursor_read_only_classic_eof.hex | COLUMN_COUNT DEFINITION LAST_DEFINITION METADATA_EOF",
        "com_stmt_execute/execute_binary_rows_classic_eof.hex | COLUMN_COUNT DEFINITION*2 LAST_DEFINITION METADATA_EOF"
                + " ROW*3 TERMINATOR",
        "com_query/compound_cursor_select_deprecate_eof.hex | COLUMN_COUNT LAST_DEFINITION ROW TERMINATOR OK",
        "com_query/compound_cursor_select_classic_eof.hex | COLUMN_COUNT LAST_DEFINITION METADATA_EOF ROW"
                + " TERMINATOR OK",
        "com_query/call_cursor_select_classic_eof.hex | COLUMN_COUNT LAST_DEFINITION METADATA_EOF ROW TERMINATOR OK",
        "com_stmt_execute/execute_call_cursor_select_deprecate_eof.hex | COLUMN_COUNT LAST_DEFINITION ROW"
                + " TERMINATOR OK",
        "com_stmt_execute/execute_call_cursor_select_classic_eof.hex | COLUMN_COUNT LAST_DEFINITION METADATA_EOF"
                + " ROW TERMINATOR OK",
        "com_stmt_fetch/fetch_two_rows_deprecate_eof.hex | ROW*2 TERMINATOR",
        "com_stmt_fetch/fetch_last_rows_classic_eof.hex | ROW*3 TERMINATOR",
        "com_stmt_prepare/prepare_two_params_three_columns_deprecate_eof.hex | PREPARE_OK DEFINITION LAST_DEFINITION"
                + " DEFINITION*2 LAST_DEFINITION",
        "com_stmt_prepare/prepare_two_params_three_columns_classic_eof.hex | PREPARE_OK DEFINITION LAST_DEFINITION"
                + " METADATA_EOF DEFINITION*2 LAST_DEFINITION METADATA_EOF",
        "com_stmt_prepare/prepare_no_params_classic_eof.hex | PREPARE_OK DEFINITION LAST_DEFINITION METADATA_EOF",
        "com_statistics/statistics.hex | STATISTICS",
        "com_set_option/multi_statements_on_deprecate_eof.hex | TERMINATOR",
        "com_set_option/multi_statements_off_classic_eof.hex | TERMINATOR",
        "com_field_list/field_list_deprecate_eof.hex | DEFINITION*3 TERMINATOR",
        "com_field_list/field_list_classic_eof.hex | DEFINITION*3 TERMINATOR",
        "com_init_db/init_db_ok.hex | OK",
    })
    void classifiesEveryPacketOfTheResponse(String file, String kinds) {
        assertEquals(expand(kinds), replay(MariaDbVectors.load(file)).kinds);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"multi_statement_deprecate_eof.hex", "multi_statement_classic_eof.hex"})
    void moreResultsKeepsTheResponseOpenAfterATerminator(String file) {
        Vector vector = MariaDbVectors.load("com_query/" + file);
        ResponseTracker tracker = started(vector);
        List<byte[]> server = vector.serverPackets();
        int firstTerminator = server.size() / 2 - 1;
        for (int i = 0; i <= firstTerminator; i++) {
            tracker.onPacket(frame(server.get(i)));
        }
        assertTrue(ServerStatus.moreResults(tracker.status()));
        assertEquals(ResponseTracker.State.FIRST, tracker.state());
        assertTrue(tracker.isOpen());
        for (byte[] packet : server.subList(firstTerminator + 1, server.size())) {
            tracker.onPacket(frame(packet));
        }
        assertTrue(tracker.isDone());
        assertFalse(ServerStatus.moreResults(tracker.status()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"execute_cursor_read_only_deprecate_eof.hex", "execute_cursor_read_only_classic_eof.hex"})
    void openedCursorEndsTheResponseRightAfterTheMetadata(String file) {
        ResponseTracker tracker = replay(MariaDbVectors.load("com_stmt_execute/" + file)).tracker;
        assertTrue(tracker.isDone());
        assertTrue(ServerStatus.cursorExists(tracker.status()));
    }

    /**
     * A stored program with a cursor of its own open sets CURSOR_EXISTS on its result sets, with
     * MORE_RESULTS: the response goes on (mtr main.signal, main.sp-expr hung on this).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"com_query/compound_cursor_select_deprecate_eof.hex",
        "com_query/compound_cursor_select_classic_eof.hex", "com_query/call_cursor_select_deprecate_eof.hex",
        "com_query/call_cursor_select_classic_eof.hex", "com_stmt_execute/execute_call_cursor_select_deprecate_eof.hex",
        "com_stmt_execute/execute_call_cursor_select_classic_eof.hex"})
    void cursorOfAStoredProgramDoesNotEndItsResults(String file) {
        Vector vector = MariaDbVectors.load(file);
        ResponseTracker tracker = started(vector);
        List<byte[]> server = vector.serverPackets();
        boolean sawCursorFlag = false;
        for (byte[] packet : server.subList(0, server.size() - 1)) {
            tracker.onPacket(frame(packet));
            sawCursorFlag |= tracker.status() != ResponseTracker.NO_STATUS && ServerStatus.cursorExists(tracker.status());
            assertTrue(tracker.isOpen(), "still open before the final OK");
        }
        assertTrue(sawCursorFlag, "the vector shows CURSOR_EXISTS on a result set");
        assertEquals(PacketKind.OK, tracker.onPacket(frame(server.get(server.size() - 1))));
        assertTrue(tracker.isDone());
        assertFalse(ServerStatus.cursorExists(tracker.status()));
    }

    @Test
    void cursorFlagEndsAQueryOnlyWhenAnExecuteOpenedIt() {
        Vector vector = MariaDbVectors.load("com_stmt_execute/execute_cursor_read_only_classic_eof.hex");
        ResponseTracker asQuery = new ResponseTracker(false);
        asQuery.start(ExpectedResponse.RESULT, 0);
        for (byte[] packet : vector.serverPackets()) {
            asQuery.onPacket(frame(packet));
        }
        assertEquals(ResponseTracker.State.ROWS, asQuery.state(), "a COM_QUERY answer never stops at its metadata");
    }

    @Test
    void localInfileAnswerContinuesAfterTheClientsLastDataPacket() {
        Vector vector = MariaDbVectors.load("com_query/load_data_local_infile.hex");
        List<byte[]> server = vector.serverPackets();
        List<byte[]> client = vector.clientPackets();
        ResponseTracker tracker = started(vector);

        assertEquals(PacketKind.LOCAL_INFILE_REQUEST, tracker.onPacket(frame(server.get(0))));
        assertTrue(tracker.isOpen());
        assertEquals(sequenceId(client.get(1)), tracker.nextSequenceId(), "the file's first packet id");

        tracker.clientSent(sequenceId(client.get(client.size() - 1)));
        assertEquals(PacketKind.OK, tracker.onPacket(frame(server.get(1))));
        assertTrue(tracker.isDone());
        assertEquals(2, tracker.affectedRows());
    }

    @Test
    void localInfileAnswerWithoutClientSentIsOutOfOrder() {
        Vector vector = MariaDbVectors.load("com_query/load_data_local_infile.hex");
        ResponseTracker tracker = started(vector);
        tracker.onPacket(frame(vector.serverPackets().get(0)));
        assertThrows(MalformedPacketException.class, () -> tracker.onPacket(frame(vector.serverPackets().get(1))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"select_300_rows_deprecate_eof.hex", "select_300_rows_classic_eof.hex"})
    void sequenceIdsWrapPast255(String file) {
        Vector vector = MariaDbVectors.load("com_query/" + file);
        List<byte[]> server = vector.serverPackets();
        assertEquals(255, sequenceId(server.get(254)), "the vector itself wraps");
        assertEquals(0, sequenceId(server.get(255)));
        ResponseTracker tracker = replay(vector).tracker;
        assertEquals((server.size() + 1) & 0xFF, tracker.nextSequenceId());
    }

    @Test
    void firstAnswerMayWrapFromCommandId255() {
        byte[] ok = MariaDbVectors.load("com_init_db/init_db_ok.hex").serverPackets().get(0);
        ok[3] = 0;
        ResponseTracker tracker = new ResponseTracker(true);
        tracker.start(ExpectedResponse.RESULT, 255);
        assertEquals(PacketKind.OK, tracker.onPacket(frame(ok)));
        assertTrue(tracker.isDone());
    }

    @Test
    void skippedSequenceIdIsMalformed() {
        Vector vector = MariaDbVectors.load("com_query/select_two_rows_deprecate_eof.hex");
        List<byte[]> server = vector.serverPackets();
        ResponseTracker tracker = started(vector);
        tracker.onPacket(frame(server.get(0)));
        byte[] second = server.get(1);
        second[3] = (byte) (second[3] + 1);
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> tracker.onPacket(frame(second)));
        assertTrue(e.getMessage().contains("sequence id 3"), e.getMessage());
        assertFalse(e.hexDump().isEmpty());
    }

    @Test
    void answerWithTheCommandsOwnIdIsMalformed() {
        byte[] ok = MariaDbVectors.load("com_init_db/init_db_ok.hex").serverPackets().get(0);
        ok[3] = 0;
        ResponseTracker tracker = new ResponseTracker(true);
        tracker.start(ExpectedResponse.RESULT, 0);
        assertThrows(MalformedPacketException.class, () -> tracker.onPacket(frame(ok)));
    }

    @Test
    void packetAfterTheEndOrBeforeAnyCommandIsMalformed() {
        List<byte[]> server = MariaDbVectors.load("com_ping/ping_ok.hex").serverPackets();
        byte[] ok = server.get(0);
        assertThrows(MalformedPacketException.class, () -> new ResponseTracker(true).onPacket(frame(ok)));

        ResponseTracker tracker = new ResponseTracker(true);
        tracker.start(ExpectedResponse.RESULT, 0);
        tracker.onPacket(frame(ok));
        byte[] again = ok.clone();
        again[3] = 2;
        assertThrows(MalformedPacketException.class, () -> tracker.onPacket(frame(again)));
    }

    @Test
    void commandsWithoutAnswerAreDoneAtOnce() {
        for (CommandCode command : List.of(CommandCode.COM_QUIT, CommandCode.COM_STMT_CLOSE,
                CommandCode.COM_STMT_SEND_LONG_DATA)) {
            ResponseTracker tracker = new ResponseTracker(true);
            tracker.start(ExpectedResponse.forCommand(command), 0);
            assertTrue(tracker.isDone(), command.name());
            assertFalse(command.expectsResponse());
        }
    }

    @Test
    void resetAfterAnAbandonedResponseRejectsItsLatePackets() {
        List<byte[]> server = MariaDbVectors.load("com_query/select_two_rows_deprecate_eof.hex").serverPackets();
        ResponseTracker tracker = new ResponseTracker(true);
        tracker.start(ExpectedResponse.RESULT, 0);
        tracker.onPacket(frame(server.get(0)));
        tracker.reset();
        assertEquals(ResponseTracker.State.IDLE, tracker.state());
        assertFalse(tracker.isOpen());
        assertThrows(MalformedPacketException.class, () -> tracker.onPacket(frame(server.get(1))));
    }

    // ---- helpers ----

    private record Replay(ResponseTracker tracker, List<PacketKind> kinds) {
    }

    private static ExpectedResponse expectedFor(Vector vector) {
        byte[] command = vector.clientPackets().get(0);
        return ExpectedResponse.forCommand(CommandCode.of(command[4]));
    }

    /** A tracker started for the vector's command, with the capabilities its header names. */
    private static ResponseTracker started(Vector vector) {
        ResponseTracker tracker = new ResponseTracker(MariaDbVectors.capabilities(vector).isDeprecateEof());
        tracker.start(expectedFor(vector), sequenceId(vector.clientPackets().get(0)));
        return tracker;
    }

    /**
     * Feeds the exchange in wire order: server packets to {@code onPacket}, client packets after the
     * command (LOCAL INFILE data) to {@code clientSent}. Checks the tracker is open before every server
     * packet, so DONE can only come with the last one.
     */
    private static Replay replay(Vector vector) {
        ResponseTracker tracker = started(vector);
        List<PacketKind> kinds = new ArrayList<>();
        List<Packet> exchange = vector.exchange();
        for (Packet packet : exchange.subList(1, exchange.size())) {
            if (packet.from() == Direction.CLIENT) {
                tracker.clientSent(packet.sequenceId());
                continue;
            }
            assertTrue(tracker.isOpen(), vector.name() + ": done before server packet " + kinds.size()
                    + " (kinds so far " + kinds + ")");
            kinds.add(tracker.onPacket(frame(packet.bytes())));
        }
        return new Replay(tracker, kinds);
    }

    /** "COLUMN_COUNT DEFINITION*2 ROW" → the list of kinds. */
    private static List<PacketKind> expand(String kinds) {
        List<PacketKind> list = new ArrayList<>();
        for (String item : kinds.trim().split("\\s+")) {
            String[] parts = item.split("\\*");
            int times = parts.length == 2 ? Integer.parseInt(parts[1]) : 1;
            for (int i = 0; i < times; i++) {
                list.add(PacketKind.valueOf(parts[0]));
            }
        }
        return list;
    }
}
