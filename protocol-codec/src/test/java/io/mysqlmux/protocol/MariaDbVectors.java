package io.mysqlmux.protocol;

import io.mysqlmux.protocol.HexVectors.Vector;
import io.mysqlmux.protocol.wire.Capability;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The MariaDB 11.4.5 captures ({@code vectors/mariadb-11.4.5/}) and what their comment headers say,
 * for the codec's unit tests.
 */
public final class MariaDbVectors {
    public static final String DIR = "mariadb-11.4.5";

    private MariaDbVectors() {
    }

    /** {@code file} relative to the version folder, e.g. {@code "com_query/create_table_ok.hex"}. */
    public static Vector load(String file) {
        return HexVectors.load(DIR + "/" + file);
    }

    /** Every vector of this server version, as {@link #load} takes them ({@code "com_ping/ping_ok.hex"}). */
    public static List<String> all() {
        return relative(HexVectors.list(DIR));
    }

    /** The vectors of one folder ({@code "com_query"}, {@code "handshake"}...), as {@link #load} takes them. */
    public static List<String> in(String folder) {
        return relative(HexVectors.list(DIR + "/" + folder));
    }

    private static List<String> relative(List<String> paths) {
        return paths.stream().map(path -> path.substring(DIR.length() + 1)).toList();
    }

    /** The client capabilities the {@code # capabilities: 0x... NAMES} header names. */
    public static Capability capabilities(Vector vector) {
        return Capability.of(headerBits(vector, "capabilities"));
    }

    /** The hex number that starts a header such as {@code 0x81fffffe CLIENT_FOUND_ROWS|...}. */
    public static long headerBits(Vector vector, String key) {
        String value = vector.header(key).strip();
        int space = value.indexOf(' ');
        String hex = space < 0 ? value : value.substring(0, space);
        if (!hex.startsWith("0x")) {
            throw new IllegalArgumentException(vector.name() + ": header " + key + " is not 0x...: " + value);
        }
        return Long.parseLong(hex.substring(2), 16);
    }

    /** The flag names a capabilities header lists after its number (empty for "(none)"). */
    public static List<String> headerNames(Vector vector, String key) {
        String value = vector.header(key).strip();
        int space = value.indexOf(' ');
        String names = space < 0 ? "" : value.substring(space + 1);
        return names.isEmpty() || names.equals("(none)") ? List.of() : List.of(names.split("\\|"));
    }

    /** A view of a captured packet's payload (after the 4-byte header); nothing to release. */
    public static ByteBuf payload(byte[] packet) {
        return Unpooled.wrappedBuffer(packet, 4, packet.length - 4);
    }

    /** A view of a whole captured packet, header included; nothing to release. */
    public static ByteBuf frame(byte[] packet) {
        return Unpooled.wrappedBuffer(packet);
    }

    /** The payloads of consecutive physical packets, joined. */
    public static byte[] joinedPayload(List<byte[]> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] packet : packets) {
            out.write(packet, 4, packet.length - 4);
        }
        return out.toByteArray();
    }

    public static int sequenceId(byte[] packet) {
        return packet[3] & 0xFF;
    }
}
