package io.mysqlmux.testing;

import io.mysqlmux.protocol.HexVectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one {@code .hex} vector file per captured exchange, in the layout {@link HexVectors} reads,
 * and reads each file back at once: a file that does not parse, or whose packets do not chain by
 * sequence id, stops the recorder instead of reaching the codec's tests.
 */
final class VectorWriter {

    private static final Logger log = LoggerFactory.getLogger(VectorWriter.class);

    private final Path versionDir;
    private final String serverVersion;
    private final String captured = LocalDate.now() + " by VectorRecorder";
    private int written;

    /** Files go to {@code <vectorsRoot>/mariadb-<version>/}, e.g. {@code mariadb-11.4.5}. */
    VectorWriter(Path vectorsRoot, String serverVersion) {
        this.serverVersion = serverVersion;
        this.versionDir = vectorsRoot.resolve(versionDirName(serverVersion));
    }

    static String versionDirName(String serverVersion) {
        return "mariadb-" + serverVersion.replaceFirst("-MariaDB.*$", "");
    }

    /** Headers in their usual order, filled by the fluent calls, then {@link #write}. */
    Headers headers(int capabilities) {
        return new Headers(capabilities);
    }

    /**
     * Writes {@code capture} to {@code <dir>/<name>.hex}.
     *
     * @return the bytes as parsed back from the file
     */
    HexVectors.Vector write(String relativePath, Headers headers, RawMysqlClient.Capture capture)
            throws IOException {
        String name = versionDir.getFileName() + "/" + relativePath;
        HexVectors.Vector vector = new HexVectors.Vector(name, headers.values, capture.client(),
                capture.server());
        Path file = versionDir.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.writeString(file, vector.toText(), StandardCharsets.UTF_8);
        HexVectors.Vector readBack = HexVectors.parse(name, Files.readString(file, StandardCharsets.UTF_8));
        int packets = readBack.exchange().size(); // throws if the sequence ids do not chain
        written++;
        log.info("wrote {} ({} packets, {} + {} bytes)", name, packets, capture.client().length,
                capture.server().length);
        return readBack;
    }

    int filesWritten() {
        return written;
    }

    Path versionDir() {
        return versionDir;
    }

    /** The comment headers of one file, in the order they are written. */
    final class Headers {

        private final Map<String, String> values = new LinkedHashMap<>();

        private Headers(int capabilities) {
            values.put("server", serverVersion);
            values.put("captured", captured);
            values.put("capabilities", CapabilityFlags.describe(capabilities));
        }

        Headers command(String commandName) {
            return put("command", commandName);
        }

        Headers statement(String sql) {
            return put("statement", sql);
        }

        Headers setup(String whatRanBefore) {
            return put("setup", whatRanBefore);
        }

        Headers note(String remark) {
            return put("note", remark);
        }

        /** Adds a header; a key given twice gets one line per value. */
        Headers put(String key, String value) {
            values.merge(key, value, (first, next) -> first + "\n" + next);
            return this;
        }
    }
}
