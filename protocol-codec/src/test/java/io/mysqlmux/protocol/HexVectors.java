package io.mysqlmux.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Byte vectors captured from real servers ({@code src/test/resources/vectors/}, written by
 * {@code io.mysqlmux.testing.VectorRecorder}). A file is UTF-8 text:
 *
 * <pre>
 * # server: 11.4.5-MariaDB                       comment headers, "# key: value"
 * # capabilities: 0x... CLIENT_LONG_PASSWORD|... (a key may repeat; values are then joined by \n)
 * &gt; client                                       hexdump -C of every packet the client sent
 * 00000000  ...
 * &lt; server                                       hexdump -C of every packet the server sent
 * 00000000  ...
 * </pre>
 *
 * Both sections hold whole physical packets, 4-byte headers included, exactly as on the wire; a
 * section may be absent (COM_QUIT gets no answer, a greeting has no client part). Where the two
 * sides alternate (login, LOCAL INFILE) {@link Vector#exchange()} restores the wire order from the
 * sequence ids.
 */
public final class HexVectors {

    /** Classpath folder holding the vectors. */
    public static final String RESOURCE_ROOT = "vectors/";
    private static final String CLIENT_SECTION = "> client";
    private static final String SERVER_SECTION = "< server";

    private HexVectors() {
    }

    /** Loads {@code vectors/<path>} from the test classpath. */
    public static Vector load(String path) {
        try (InputStream in = resource(RESOURCE_ROOT + path).openStream()) {
            return parse(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Paths (as {@link #load} takes them) of every {@code .hex} file below {@code vectors/<dir>},
     * sorted; {@code dir} is e.g. {@code "mariadb-11.4.5/com_query"}, or {@code ""} for all.
     */
    public static List<String> list(String dir) {
        URI uri;
        try {
            uri = resource(RESOURCE_ROOT + dir).toURI();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(dir, e);
        }
        String prefix = dir.isEmpty() || dir.endsWith("/") ? dir : dir + "/";
        if (uri.getScheme().equals("jar")) {
            // the test-jar on another module's classpath
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return listBelow(jar.provider().getPath(uri), prefix);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return listBelow(Path.of(uri), prefix);
    }

    private static List<String> listBelow(Path dir, String prefix) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".hex"))
                    .map(p -> prefix + dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL resource(String name) {
        URL url = HexVectors.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("no such vector on the test classpath: " + name);
        }
        return url;
    }

    /** Parses the text of one vector file; {@code name} only labels error messages. */
    public static Vector parse(String name, String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : text.split("\n")) {
            line = line.stripTrailing();
            if (line.equals(CLIENT_SECTION) || line.equals(SERVER_SECTION)) {
                current = new ArrayList<>();
                if (sections.put(line, current) != null) {
                    throw new IllegalArgumentException(name + ": section '" + line + "' appears twice");
                }
            } else if (line.startsWith("#")) {
                addHeader(headers, line.substring(1).strip());
            } else if (!line.isEmpty()) {
                if (current == null) {
                    throw new IllegalArgumentException(name + ": bytes before '> client' or '< server'");
                }
                current.add(line);
            }
        }
        try {
            return new Vector(name, headers, bytesOf(sections.get(CLIENT_SECTION)),
                    bytesOf(sections.get(SERVER_SECTION)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    // "key: value"; a comment without ": " is free text and not kept.
    private static void addHeader(Map<String, String> headers, String comment) {
        int colon = comment.indexOf(": ");
        if (colon > 0) {
            headers.merge(comment.substring(0, colon), comment.substring(colon + 2),
                    (first, next) -> first + "\n" + next);
        }
    }

    private static byte[] bytesOf(List<String> lines) {
        return lines == null ? new byte[0] : HexDump.parse(lines);
    }

    /**
     * Splits wire bytes into physical packets, each with its 4-byte header. A payload of 0xFFFFFF
     * bytes and its continuation packets stay separate, as they travel.
     *
     * @throws IllegalArgumentException if the last packet is cut short
     */
    public static List<byte[]> packets(byte[] wire) {
        List<byte[]> packets = new ArrayList<>();
        int offset = 0;
        while (offset < wire.length) {
            if (wire.length - offset < 4) {
                throw new IllegalArgumentException("truncated packet header at offset " + offset);
            }
            int length = (wire[offset] & 0xFF) | (wire[offset + 1] & 0xFF) << 8 | (wire[offset + 2] & 0xFF) << 16;
            int end = offset + 4 + length;
            if (end > wire.length) {
                throw new IllegalArgumentException("packet at offset " + offset + " announces " + length
                        + " payload bytes, only " + (wire.length - offset - 4) + " present");
            }
            packets.add(Arrays.copyOfRange(wire, offset, end));
            offset = end;
        }
        return packets;
    }

    /** Which side sent a packet. */
    public enum Direction { CLIENT, SERVER }

    /** One physical packet, header included. */
    public record Packet(Direction from, byte[] bytes) {

        public int sequenceId() {
            return bytes[3] & 0xFF;
        }

        public byte[] payload() {
            return Arrays.copyOfRange(bytes, 4, bytes.length);
        }
    }

    /** One captured exchange. The byte arrays are copies; change them freely. */
    public record Vector(String name, Map<String, String> headers, byte[] clientBytes, byte[] serverBytes) {

        public Vector {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            clientBytes = clientBytes.clone();
            serverBytes = serverBytes.clone();
        }

        @Override
        public byte[] clientBytes() {
            return clientBytes.clone();
        }

        @Override
        public byte[] serverBytes() {
            return serverBytes.clone();
        }

        /** The value of {@code # key: value}; fails if the file has no such header. */
        public String header(String key) {
            String value = headers.get(key);
            if (value == null) {
                throw new IllegalArgumentException(name + " has no '# " + key + ":' header");
            }
            return value;
        }

        public List<byte[]> clientPackets() {
            return packets(clientBytes);
        }

        public List<byte[]> serverPackets() {
            return packets(serverBytes);
        }

        /** Every packet of both sections in wire order; see {@link ExchangeOrder}. */
        public List<Packet> exchange() {
            return ExchangeOrder.interleave(name, clientPackets(), serverPackets());
        }

        /** The file text, in the layout {@link #parse} reads. */
        public String toText() {
            StringBuilder text = new StringBuilder();
            headers.forEach((key, value) -> value.lines()
                    .forEach(line -> text.append("# ").append(key).append(": ").append(line).append('\n')));
            appendSection(text, CLIENT_SECTION, clientBytes);
            appendSection(text, SERVER_SECTION, serverBytes);
            return text.toString();
        }

        private static void appendSection(StringBuilder text, String title, byte[] bytes) {
            if (bytes.length > 0) {
                text.append(title).append('\n');
                HexDump.format(bytes).forEach(line -> text.append(line).append('\n'));
            }
        }
    }
}
