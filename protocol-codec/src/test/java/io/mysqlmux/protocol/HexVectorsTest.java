package io.mysqlmux.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlmux.protocol.HexVectors.Direction;
import io.mysqlmux.protocol.HexVectors.Packet;
import io.mysqlmux.protocol.HexVectors.Vector;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HexVectorsTest {

    private static final String VERSION_DIR = "mariadb-11.4.5";

    // COM_QUERY "SELECT 1" answered by OK; the server part spans a '*' line.
    private static final String SMALL_FILE = """
            # server: 11.4.5-MariaDB
            # statement: SELECT 1
            # statement: (second line of the same header)
            # a free comment without key is ignored
            > client
            00000000  09 00 00 00 03 53 45 4c  45 43 54 20 31           |.....SELECT 1|
            0000000d
            < server
            00000000  30 00 00 01 00 00 00 02  00 00 00 78 78 78 78 78  |0..........xxxxx|
            00000010  78 78 78 78 78 78 78 78  78 78 78 78 78 78 78 78  |xxxxxxxxxxxxxxxx|
            *
            00000030  78 78 78 78                                       |xxxx|
            00000034
            """;

    @Test
    void headersAndBothSectionsAreRead() {
        Vector vector = HexVectors.parse("small", SMALL_FILE);
        assertEquals(Map.of("server", "11.4.5-MariaDB", "statement", "SELECT 1\n(second line of the same header)"),
                vector.headers());
        assertArrayEquals(packet(0, "\u0003SELECT 1"), vector.clientBytes());
        assertEquals(1, vector.serverPackets().size());
        byte[] ok = vector.serverPackets().get(0);
        assertEquals(0x34, ok.length);
        assertEquals('x', ok[0x33]);
    }

    @Test
    void starLineInAVectorRepeatsTheLineBeforeIt() {
        byte[] server = HexVectors.parse("small", SMALL_FILE).serverBytes();
        for (int i = 11; i < server.length; i++) {
            assertEquals('x', server[i], "byte " + i);
        }
    }

    @Test
    void missingSectionMeansNoBytesFromThatSide() {
        Vector quit = HexVectors.parse("quit", """
                > client
                00000000  01 00 00 00 01                                    |.....|
                00000005
                """);
        assertEquals(0, quit.serverBytes().length);
        assertEquals(1, quit.exchange().size());
    }

    @Test
    void brokenDumpNamesTheFile() {
        String broken = SMALL_FILE.replace("00000034", "00000035");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HexVectors.parse("broken.hex", broken));
        assertTrue(e.getMessage().startsWith("broken.hex: "), e.getMessage());
    }

    @Test
    void packetsKeepTheirHeadersIncludingEmptyOnes() {
        byte[] wire = concat(packet(1, "abc"), packet(2, ""), packet(3, "z"));
        List<byte[]> packets = HexVectors.packets(wire);
        assertEquals(3, packets.size());
        assertArrayEquals(packet(2, ""), packets.get(1));
        assertArrayEquals(packet(3, "z"), packets.get(2));
    }

    @Test
    void packetCutShortIsRejected() {
        byte[] wire = packet(1, "abc");
        byte[] cut = Arrays.copyOf(wire, wire.length - 1);
        assertThrows(IllegalArgumentException.class, () -> HexVectors.packets(cut));
    }

    @Test
    void exchangeRestoresTheWireOrderOfALogin() {
        byte[] client = concat(packet(1, "response"), packet(3, "switch-response"));
        byte[] server = concat(packet(0, "greeting"), packet(2, "switch"), packet(4, "ok"));
        List<Packet> order = new Vector("login", Map.of(), client, server).exchange();
        assertEquals(List.of(Direction.SERVER, Direction.CLIENT, Direction.SERVER, Direction.CLIENT,
                Direction.SERVER), order.stream().map(Packet::from).toList());
        assertEquals("switch-response", new String(order.get(3).payload(), StandardCharsets.US_ASCII));
    }

    @Test
    void exchangeFollowsSequenceIdsPast255() {
        ByteArrayOutputStream server = new ByteArrayOutputStream();
        for (int i = 1; i <= 300; i++) {
            server.writeBytes(packet(i & 0xFF, "row"));
        }
        List<Packet> order = new Vector("wrap", Map.of(), packet(0, "q"), server.toByteArray()).exchange();
        assertEquals(301, order.size());
        assertEquals(0, order.get(256).sequenceId());
    }

    @Test
    void exchangeWithAMissingPacketIsRejected() {
        byte[] server = concat(packet(1, "a"), packet(3, "c"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Vector("gap", Map.of(), packet(0, "q"), server).exchange());
        assertTrue(e.getMessage().contains("sequence id 2"), e.getMessage());
    }

    @Test
    void writtenTextReadsBackTheSame() {
        Vector vector = HexVectors.parse("small", SMALL_FILE);
        Vector again = HexVectors.parse("again", vector.toText());
        assertEquals(vector.headers(), again.headers());
        assertArrayEquals(vector.clientBytes(), again.clientBytes());
        assertArrayEquals(vector.serverBytes(), again.serverBytes());
    }

    @Test
    void capturedResultSetLoadsFromTheClasspath() {
        Vector vector = HexVectors.load(VERSION_DIR + "/com_query/select_two_rows_deprecate_eof.hex");
        assertEquals("11.4.5-MariaDB", vector.header("server"));
        assertEquals(0x03, vector.clientPackets().get(0)[4]); // COM_QUERY
        // column count, 3 definitions, 2 rows, OK(0xFE): no EOF after the definitions
        assertEquals(7, vector.serverPackets().size());
    }

    @Test
    void everyCapturedVectorParsesAndItsSequenceIdsChain() {
        List<String> paths = HexVectors.list(VERSION_DIR);
        assertTrue(paths.size() > 50, "only " + paths.size() + " vectors found");
        for (String path : paths) {
            Vector vector = HexVectors.load(path);
            assertFalse(vector.exchange().isEmpty(), path);
            for (String header : List.of("server", "captured", "capabilities")) {
                vector.header(header);
            }
        }
    }

    private static byte[] packet(int sequenceId, String payload) {
        byte[] body = payload.getBytes(StandardCharsets.ISO_8859_1);
        byte[] packet = new byte[4 + body.length];
        packet[0] = (byte) body.length;
        packet[1] = (byte) (body.length >> 8);
        packet[2] = (byte) (body.length >> 16);
        packet[3] = (byte) sequenceId;
        System.arraycopy(body, 0, packet, 4, body.length);
        return packet;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
