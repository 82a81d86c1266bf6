package io.mysqlmux.it;

import io.mysqlmux.protocol.command.ComSetOption;
import io.mysqlmux.protocol.packet.ErrPacket;
import io.mysqlmux.protocol.packet.OkPacket;
import io.mysqlmux.protocol.packet.SessionStateChanges;
import io.mysqlmux.protocol.response.ExpectedResponse;
import io.mysqlmux.protocol.response.PacketKind;
import io.mysqlmux.protocol.wire.Capability;
import io.mysqlmux.protocol.wire.MysqlBuf;
import io.mysqlmux.protocol.wire.ServerStatus;
import io.mysqlmux.testing.EmbeddedMariaDb;
import io.mysqlmux.testing.EmbeddedMariaDbExtension;
import io.mysqlmux.testing.ProxyFixture;
import io.mysqlmux.testing.WireClient;
import io.mysqlmux.testing.WireClient.Packet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every client gets responses in the shape it negotiated: EOF packets or OK terminators (from a
 * server connection of its own EOF shape: pools are split by it), session-state blocks or none,
 * multi-statements as set with COM_SET_OPTION, LOCAL INFILE only when allowed.
 */
@ExtendWith(EmbeddedMariaDbExtension.class)
class WireShapeIT {
    private static ProxyFixture proxy;

    @BeforeAll
    static void setUp(EmbeddedMariaDb db) throws Exception {
        try (Connection root = db.connection(EmbeddedMariaDb.ROOT, "app"); Statement s = root.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS app.loaded (a INT, b VARCHAR(10))");
        }
        proxy = ProxyFixture.start(db, Map.of("pool.max_size", 1));
    }

    @AfterAll
    static void tearDown() {
        proxy.close();
    }

    private static WireClient connect(long capabilities) throws Exception {
        return WireClient.connect(proxy.port(), EmbeddedMariaDb.APP, "app", capabilities);
    }

    private static List<PacketKind> kinds(List<Packet> packets) {
        return packets.stream().map(Packet::kind).toList();
    }

    private static void assertConsecutiveSequenceIds(List<Packet> packets) {
        for (int i = 0; i < packets.size(); i++) {
            assertEquals((i + 1) & 0xFF, packets.get(i).sequenceId(), "packet " + i);
        }
    }

    private static int eofStatus(Packet eof) {
        assertEquals(9, eof.bytes().length, "a classic EOF has a 5-byte payload");
        return eof.payload().getUnsignedShortLE(3);
    }

    /** The first column of the first row, as text. */
    private static String firstCell(List<Packet> packets) {
        Packet row = packets.stream().filter(p -> p.kind() == PacketKind.ROW).findFirst().orElseThrow();
        return MysqlBuf.readLenEncString(row.payload(), StandardCharsets.UTF_8);
    }

    private static List<Packet> ofKind(List<Packet> packets, PacketKind kind) {
        return packets.stream().filter(p -> p.kind() == kind).toList();
    }

    @Test
    void classicClientsGetEofPacketsWithTheServersStatus() throws Exception {
        try (WireClient client = connect(WireClient.CLASSIC)) {
            List<Packet> result = client.query("SELECT 1 AS a, 'x' AS b");
            assertEquals(List.of(PacketKind.COLUMN_COUNT, PacketKind.DEFINITION, PacketKind.LAST_DEFINITION,
                    PacketKind.METADATA_EOF, PacketKind.ROW, PacketKind.TERMINATOR), kinds(result));
            assertConsecutiveSequenceIds(result);
            assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, eofStatus(result.get(3)) & 0x0B);
            assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, eofStatus(result.get(5)) & 0x0B);

            List<Packet> statistics = client.command(ExpectedResponse.SINGLE_PACKET, out -> out.writeByte(0x09));
            assertTrue(statistics.get(0).text().startsWith("Uptime:"), statistics.get(0).text());
            // A response without status flags must not leave a made-up status behind.
            List<Packet> again = client.query("SELECT 2");
            assertEquals("2", firstCell(again));
            assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, eofStatus(again.get(2)) & 0x0B);
            assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, eofStatus(again.get(4)) & 0x0B);
        }
    }

    /** SHOW POOLS names each pool's shape; every client borrows from the pool of its own. */
    @Test
    void eachEofShapeHasItsOwnPool() throws Exception {
        Map<Long, String> shapes = Map.of(WireClient.CLASSIC, "eof", WireClient.MODERN, "-",
                WireClient.CLASSIC | Capability.CLIENT_FOUND_ROWS, "found_rows,eof",
                WireClient.MODERN | Capability.CLIENT_FOUND_ROWS, "found_rows");
        for (Map.Entry<Long, String> shape : shapes.entrySet()) {
            try (WireClient client = connect(shape.getKey())) {
                assertEquals("1", firstCell(client.query("SELECT 1")));
                assertEquals(shape.getValue(), proxy.server().sessions().get(client.connectionId()).pool().key()
                        .shape().label());
            }
        }
        List<String> listed = proxy.server().control().pools().stream()
                .filter(p -> p.user().equals("app")).map(p -> p.wireShape()).sorted().toList();
        assertEquals(List.of("-", "eof", "found_rows", "found_rows,eof"), listed);
    }

    @Test
    void deprecateEofClientsGetOkTerminators() throws Exception {
        try (WireClient client = connect(WireClient.MODERN)) {
            List<Packet> result = client.query("SELECT 1 AS a, 'x' AS b");
            assertEquals(List.of(PacketKind.COLUMN_COUNT, PacketKind.DEFINITION, PacketKind.LAST_DEFINITION,
                    PacketKind.ROW, PacketKind.TERMINATOR), kinds(result));
            assertConsecutiveSequenceIds(result);
            assertEquals(0xFE, result.get(4).firstByte());
        }
    }

    @Test
    void sessionStateReachesOnlyClientsThatAskedForIt() throws Exception {
        try (WireClient tracking = connect(WireClient.MODERN); WireClient plain = connect(WireClient.CLASSIC)) {
            OkPacket ok = OkPacket.read(tracking.query("SET time_zone = '+01:00'").get(0).payload(),
                    tracking.negotiated());
            assertNotNull(ok.sessionState());
            assertTrue(SessionStateChanges.parse(ok.sessionState()).systemVariables().stream()
                    .anyMatch(v -> v.name().equals("time_zone") && v.value().equals("+01:00")));

            Packet plainOk = plain.query("SET time_zone = '+02:00'").get(0);
            OkPacket stripped = OkPacket.read(plainOk.payload(), plain.negotiated());
            assertEquals(0, stripped.statusFlags() & ServerStatus.SERVER_SESSION_STATE_CHANGED);
            assertNull(stripped.sessionState());
            assertEquals(11, plainOk.bytes().length, "OK without info or state: 7-byte payload");

            assertEquals("+01:00", firstCell(tracking.query("SELECT @@time_zone")));
            assertEquals("+02:00", firstCell(plain.query("SELECT @@time_zone")));
        }
    }

    @Test
    void redirectUrlNeverReachesClients() throws Exception {
        try (WireClient tracking = connect(WireClient.MODERN)) {
            OkPacket ok = OkPacket.read(tracking.query("SET redirect_url = 'mysql://elsewhere:3306', time_zone = '+04:00'")
                    .get(0).payload(), tracking.negotiated());
            SessionStateChanges changes = SessionStateChanges.parse(ok.sessionState());
            assertTrue(changes.systemVariables().stream().noneMatch(v -> v.name().equals("redirect_url")),
                    "redirect_url stripped: " + changes);
            assertTrue(changes.systemVariables().stream().anyMatch(v -> v.name().equals("time_zone")),
                    "the rest of what the server reported is kept");
        }
    }

    @Test
    void multiStatementsFollowComSetOption() throws Exception {
        try (WireClient client = connect(WireClient.CLASSIC)) {
            assertEquals(1064, error(client.query("SELECT 1; SELECT 2")).code());
            List<Packet> on = client.command(ExpectedResponse.RESULT, new ComSetOption(true)::write);
            assertEquals(1, on.size());
            assertEquals(9, on.get(0).bytes().length, "classic clients get an EOF for COM_SET_OPTION");
            List<Packet> both = client.query("SELECT 1; SELECT 2");
            assertEquals(2, ofKind(both, PacketKind.COLUMN_COUNT).size());
            List<Packet> ends = ofKind(both, PacketKind.TERMINATOR);
            assertTrue(ServerStatus.moreResults(eofStatus(ends.get(0))), "first result says more follow");
            assertTrue(!ServerStatus.moreResults(eofStatus(ends.get(1))), "second result is the last");
            client.command(ExpectedResponse.RESULT, new ComSetOption(false)::write);
            assertEquals(1064, error(client.query("SELECT 1; SELECT 2")).code());
        }
        try (WireClient modern = connect(WireClient.MODERN | Capability.CLIENT_MULTI_STATEMENTS)) {
            List<Packet> off = modern.command(ExpectedResponse.RESULT, new ComSetOption(false)::write);
            assertEquals(0xFE, off.get(0).firstByte());
            assertTrue(off.get(0).bytes().length > 9 - 2, "DEPRECATE_EOF clients get a 0xFE OK");
            assertEquals(1064, error(modern.query("SELECT 1; SELECT 2")).code());
        }
    }

    @Test
    void fieldListInBothShapes() throws Exception {
        for (long capabilities : new long[] {WireClient.CLASSIC, WireClient.MODERN}) {
            try (WireClient client = connect(capabilities)) {
                List<Packet> fields = client.command(ExpectedResponse.FIELD_LIST,
                        out -> out.writeByte(0x04).writeBytes("loaded\0".getBytes(StandardCharsets.US_ASCII)));
                assertEquals(List.of(PacketKind.DEFINITION, PacketKind.DEFINITION, PacketKind.TERMINATOR), kinds(fields));
                Packet end = fields.get(2);
                assertEquals(capabilities == WireClient.CLASSIC ? 9 : end.bytes().length, end.bytes().length);
            }
        }
    }

    @Test
    void localInfileIsRefusedForClientsThatDidNotAllowIt() throws Exception {
        try (WireClient client = connect(WireClient.MODERN)) {
            List<Packet> answer = client.query("LOAD DATA LOCAL INFILE 'data.csv' INTO TABLE loaded");
            assertEquals(1, answer.size());
            ErrPacket err = error(answer);
            assertEquals(1148, err.code());
            assertEquals(1, answer.get(0).sequenceId());
            assertEquals(1, client.query("SELECT 1").stream().filter(p -> p.kind() == PacketKind.ROW).count());
        }
    }

    @Test
    void localInfileStreamsForClientsThatAllowIt() throws Exception {
        try (WireClient client = connect(WireClient.CLASSIC | Capability.CLIENT_LOCAL_FILES)) {
            client.query("DELETE FROM loaded");
            List<Packet> request = client.query("LOAD DATA LOCAL INFILE 'data.csv' INTO TABLE loaded"
                    + " FIELDS TERMINATED BY ','");
            assertEquals(PacketKind.LOCAL_INFILE_REQUEST, request.get(0).kind());
            List<Packet> answer = client.sendFile("1,one\n2,two\n3,three\n".getBytes(StandardCharsets.US_ASCII),
                    request.get(0).sequenceId());
            assertEquals(PacketKind.OK, answer.get(0).kind());
            assertEquals(3, OkPacket.read(answer.get(0).payload(), client.negotiated()).affectedRows());
            assertEquals("3", firstCell(client.query("SELECT COUNT(*) FROM loaded")));
        }
    }

    /**
     * MariaDB progress reports (ERR 0xFFFF, mid-response) reach only clients that asked for them;
     * for the others they are withheld and the rest of the answer renumbered.
     */
    @Test
    void progressReportsReachOnlyClientsThatAskedForThem() throws Exception {
        long progress = WireClient.MODERN | Capability.MARIADB_CLIENT_PROGRESS;
        try (WireClient client = connect(progress)) {
            client.query("CREATE OR REPLACE TABLE progress_t (a INT, b VARCHAR(100)) ENGINE=Aria");
            client.query("INSERT INTO progress_t SELECT seq, REPEAT('x', 100) FROM seq_1_to_200000");
            client.query("SET progress_report_time = 1");
            // A report comes once the ALTER has run a second: the table grows until it does.
            List<PacketKind> kinds = alterWithProgress(client);
            for (int doubled = 0; !kinds.contains(PacketKind.PROGRESS) && doubled < 4; doubled++) {
                client.query("INSERT INTO progress_t SELECT * FROM progress_t");
                kinds = alterWithProgress(client);
            }
            assertTrue(kinds.contains(PacketKind.PROGRESS), "the ALTER reported its progress: " + kinds);
        }
        for (long capabilities : new long[] {WireClient.MODERN, WireClient.CLASSIC}) {
            try (WireClient client = connect(capabilities)) {
                client.query("SET progress_report_time = 1");
                assertEquals(List.of(PacketKind.OK), alterWithProgress(client));
            }
        }
    }

    private static List<PacketKind> alterWithProgress(WireClient client) throws Exception {
        List<Packet> answer = client.query("ALTER TABLE progress_t FORCE");
        assertConsecutiveSequenceIds(answer);
        List<PacketKind> kinds = kinds(answer);
        assertEquals(PacketKind.OK, kinds.get(kinds.size() - 1), "altered: " + kinds);
        return kinds;
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (WireClient client = connect(WireClient.MODERN)) {
            for (int i = 1; i <= 5; i++) {
                String sql = "SELECT " + i;
                client.send(out -> out.writeByte(0x03).writeBytes(sql.getBytes(StandardCharsets.US_ASCII)));
            }
            for (int i = 1; i <= 5; i++) {
                assertEquals(String.valueOf(i), firstCell(client.readResponse(ExpectedResponse.RESULT, 0)));
            }
        }
    }

    @Test
    void unsupportedCommandsAreRefusedAndTheConnectionStaysUsable() throws Exception {
        try (WireClient client = connect(WireClient.MODERN)) {
            List<Packet> refused = client.command(ExpectedResponse.RESULT,
                    out -> out.writeByte(0x12).writeIntLE(4).writeShortLE(0).writeIntLE(1).writeBytes("binlog.000001".getBytes()));
            ErrPacket err = error(refused);
            assertEquals(1235, err.code());
            assertTrue(err.message().contains("COM_BINLOG_DUMP"), err.message());
            List<Packet> ping = client.command(ExpectedResponse.RESULT, out -> out.writeByte(0x0E));
            assertEquals(PacketKind.OK, ping.get(0).kind());
            assertEquals(1, client.query("SELECT 1").stream().filter(p -> p.kind() == PacketKind.ROW).count());
        }
    }

    @Test
    void aCommandOutOfSequenceGetsAnErrorAndTheConnectionCloses() throws Exception {
        try (WireClient client = connect(WireClient.MODERN)) {
            client.sendRaw(new byte[] {9, 0, 0, 5, 0x03, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '1'});
            List<Packet> answer = client.readResponse(ExpectedResponse.RESULT, 5);
            assertEquals(1156, error(answer).code());
            assertTrue(client.isClosedByPeer());
        }
    }

    private static ErrPacket error(List<Packet> packets) {
        Packet last = packets.get(packets.size() - 1);
        assertEquals(PacketKind.ERR, last.kind(), "expected an ERR, got " + kinds(packets));
        return ErrPacket.read(last.payload());
    }
}
