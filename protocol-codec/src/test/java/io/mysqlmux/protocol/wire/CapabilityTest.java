package io.mysqlmux.protocol.wire;

import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.MariaDbVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapabilityTest {

    /** The protocol's capability table (mysql-protocol.md §3): bit number and C name. */
    @ParameterizedTest(name = "bit {0} {1}")
    @CsvSource({
        "0, CLIENT_LONG_PASSWORD", "1, CLIENT_FOUND_ROWS", "2, CLIENT_LONG_FLAG", "3, CLIENT_CONNECT_WITH_DB",
        "4, CLIENT_NO_SCHEMA", "5, CLIENT_COMPRESS", "6, CLIENT_ODBC", "7, CLIENT_LOCAL_FILES",
        "8, CLIENT_IGNORE_SPACE", "9, CLIENT_PROTOCOL_41", "10, CLIENT_INTERACTIVE", "11, CLIENT_SSL",
        "12, CLIENT_IGNORE_SIGPIPE", "13, CLIENT_TRANSACTIONS", "14, CLIENT_RESERVED",
        "15, CLIENT_SECURE_CONNECTION", "16, CLIENT_MULTI_STATEMENTS", "17, CLIENT_MULTI_RESULTS",
        "18, CLIENT_PS_MULTI_RESULTS", "19, CLIENT_PLUGIN_AUTH", "20, CLIENT_CONNECT_ATTRS",
        "21, CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA", "22, CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS",
        "23, CLIENT_SESSION_TRACK", "24, CLIENT_DEPRECATE_EOF", "25, CLIENT_OPTIONAL_RESULTSET_METADATA",
        "26, CLIENT_ZSTD_COMPRESSION_ALGORITHM", "27, CLIENT_QUERY_ATTRIBUTES", "28, MULTI_FACTOR_AUTHENTICATION",
        "29, CLIENT_CAPABILITY_EXTENSION", "30, CLIENT_SSL_VERIFY_SERVER_CERT", "31, CLIENT_REMEMBER_OPTIONS",
        "32, MARIADB_CLIENT_PROGRESS", "34, MARIADB_CLIENT_STMT_BULK_OPERATIONS",
        "35, MARIADB_CLIENT_EXTENDED_METADATA", "36, MARIADB_CLIENT_CACHE_METADATA",
        "37, MARIADB_CLIENT_BULK_UNIT_RESULTS",
    })
    void constantsHaveTheBitsOfTheSpec(int bit, String name) {
        assertEquals(1L << bit, flag(name));
        assertEquals(name, names(Capability.of(1L << bit)).get(0), "toString names the bit");
    }

    static Stream<String> everyVector() {
        return MariaDbVectors.all().stream();
    }

    /** The recorder names the flags it sent with its own table; ours must agree bit for bit. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyVector")
    void capabilitiesHeaderNamesTheSameBitsAsOurConstants(String path) {
        Vector vector = MariaDbVectors.load(path);
        long bits = MariaDbVectors.headerBits(vector, "capabilities");
        assertEquals(bits, orOf(MariaDbVectors.headerNames(vector, "capabilities"), 0));
        assertEquals(MariaDbVectors.headerNames(vector, "capabilities"), names(Capability.of(bits)));
    }

    @Test
    void greetingHeadersNameTheServersClassicAndMariaDbBits() {
        Vector greeting = MariaDbVectors.load("handshake/greeting.hex");
        long classic = MariaDbVectors.headerBits(greeting, "server-capabilities");
        long extended = MariaDbVectors.headerBits(greeting, "server-mariadb-capabilities");
        assertEquals(classic, orOf(MariaDbVectors.headerNames(greeting, "server-capabilities"), 0));
        assertEquals(extended, orOf(MariaDbVectors.headerNames(greeting, "server-mariadb-capabilities"), 32));

        Capability server = Capability.of(extended << 32 | classic);
        assertTrue(server.isMariaDbExtended(), "MariaDB clears bit 0");
        assertEquals((int) classic, server.lowBits());
        assertEquals((int) extended, server.extendedBits());
        assertTrue(server.has(Capability.MARIADB_CLIENT_CACHE_METADATA));
        assertFalse(Capability.of(classic | Capability.CLIENT_MYSQL).isMariaDbExtended());
    }

    /** File names promise the layout: _classic_eof, _deprecate_eof, _session_track (+DEPRECATE_EOF). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyVector")
    void vectorNameAgreesWithItsEofAndTrackingFlags(String path) {
        Capability caps = MariaDbVectors.capabilities(MariaDbVectors.load(path));
        if (path.endsWith("_classic_eof.hex")) {
            assertFalse(caps.isDeprecateEof());
        } else if (path.endsWith("_deprecate_eof.hex")) {
            assertTrue(caps.isDeprecateEof());
            assertFalse(caps.isSessionTrack());
        } else if (path.endsWith("_session_track.hex")) {
            assertTrue(caps.isDeprecateEof());
            assertTrue(caps.isSessionTrack());
        }
    }

    @Test
    void hasNeedsEveryBitOfAMask() {
        Capability caps = Capability.of(Capability.CLIENT_PROTOCOL_41 | Capability.CLIENT_TRANSACTIONS);
        assertTrue(caps.has(Capability.CLIENT_PROTOCOL_41 | Capability.CLIENT_TRANSACTIONS));
        assertFalse(caps.has(Capability.CLIENT_PROTOCOL_41 | Capability.CLIENT_SSL));
    }

    @Test
    void negotiationIsTheIntersectionAndLeavesBothSidesUnchanged() {
        Capability client = MariaDbVectors.capabilities(MariaDbVectors.load("handshake/connector_j_login.hex"));
        Vector greeting = MariaDbVectors.load("handshake/greeting.hex");
        Capability server = Capability.of(MariaDbVectors.headerBits(greeting, "server-capabilities"));
        Capability both = client.and(server);
        assertEquals(client.bits() & server.bits(), both.bits());
        assertTrue(both.isDeprecateEof());
        assertFalse(both.has(Capability.CLIENT_SSL), "offered by the server, not asked for");
        assertEquals(0x013ea20eL, client.bits());
    }

    @Test
    void withAndWithoutReturnNewSets() {
        Capability base = Capability.of(Capability.CLIENT_PROTOCOL_41);
        Capability more = base.with(Capability.CLIENT_DEPRECATE_EOF | Capability.MARIADB_CLIENT_PROGRESS);
        assertTrue(more.isDeprecateEof());
        assertEquals(1, more.extendedBits());
        assertFalse(base.isDeprecateEof());
        assertEquals(base, more.without(Capability.CLIENT_DEPRECATE_EOF | Capability.MARIADB_CLIENT_PROGRESS));
        assertEquals(base.hashCode(), Capability.of(Capability.CLIENT_PROTOCOL_41).hashCode());
        assertNotEquals(base, more);
    }

    @Test
    void toStringStartsWithTheHexValue() {
        assertTrue(Capability.of(0x81fffffeL).toString().startsWith("0x81fffffe CLIENT_FOUND_ROWS|"));
    }

    // ---- helpers ----

    private static long flag(String name) {
        try {
            return Capability.class.getField(name).getLong(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Capability has no constant " + name, e);
        }
    }

    /** OR of the named constants, shifted down by {@code shift} (MariaDB headers list bits 32+ from 0). */
    private static long orOf(List<String> names, int shift) {
        long bits = 0;
        for (String name : names) {
            bits |= flag(name) >>> shift;
        }
        return bits;
    }

    private static List<String> names(Capability caps) {
        String text = caps.toString();
        int space = text.indexOf(' ');
        return text.substring(space + 1).isEmpty() ? List.of() : Arrays.asList(text.substring(space + 1).split("\\|"));
    }
}
