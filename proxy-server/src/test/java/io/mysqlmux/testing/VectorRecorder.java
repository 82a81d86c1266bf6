package io.mysqlmux.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures the byte vectors of the codec's unit tests from a real server. Run by hand (not by the
 * test suite) after a server upgrade or when a new case is needed; see
 * {@code protocol-codec/src/test/resources/vectors/README.md} for the command.
 *
 * <p>Starts {@link EmbeddedMariaDb}, logs in as {@code app} with its own raw client (no driver, no
 * codec), and writes one {@code .hex} file per exchange to
 * {@code <vectors dir>/mariadb-<version>/<command>/}. Earlier {@code .hex} files in that version
 * directory are deleted first, so the directory holds exactly one run.
 *
 * <p>Arguments: the vectors directory; default {@code protocol-codec/src/test/resources/vectors}
 * below the working directory or its parent (run from the repository root or from proxy-server/).
 * Then, optionally, the simple names of the {@link Captures} groups to record (e.g.
 * {@code CursorCaptures}): only their files are written, and the other files stay as they are.
 */
public final class VectorRecorder {

    private static final Logger log = LoggerFactory.getLogger(VectorRecorder.class);
    private static final String DEFAULT_VECTORS_DIR = "protocol-codec/src/test/resources/vectors";

    private static final String CREATE_ITEMS =
            "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, note VARCHAR(20) NULL)";
    private static final String FILL_ITEMS = "INSERT INTO items VALUES (1, 'one', NULL), (2, 'two', 'b'), "
            + "(3, 'three', NULL), (4, 'four', 'd'), (5, 'five', 'e')";
    /** For vector headers: how table {@code items} came to be. */
    static final String ITEMS_TABLE = CREATE_ITEMS + "; " + FILL_ITEMS;
    static final String TWO_RESULTS_PROCEDURE =
            "CREATE PROCEDURE two_results() BEGIN SELECT 1 AS a; SELECT 'x' AS b, 2 AS c; END";
    static final String CURSOR_SELECT_PROCEDURE = "CREATE PROCEDURE cursor_select() BEGIN "
            + "DECLARE c CURSOR FOR SELECT id FROM items; OPEN c; SELECT 1 AS a; CLOSE c; END";
    private static final List<String> SCHEMA = List.of(
            CREATE_ITEMS,
            FILL_ITEMS,
            "CREATE TABLE events (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(40))",
            "CREATE TABLE t_load (a INT, b VARCHAR(10))",
            TWO_RESULTS_PROCEDURE,
            CURSOR_SELECT_PROCEDURE);

    private VectorRecorder() {
    }

    public static void main(String[] args) {
        try {
            Path vectorsDir = args.length > 0 ? Path.of(args[0]) : defaultVectorsDir();
            List<String> only = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
            int files = record(vectorsDir, only);
            log.info("{} vector files written below {}", files, vectorsDir.toAbsolutePath());
            System.exit(0);
        } catch (Exception e) {
            log.error("recording failed", e);
            System.exit(1);
        }
    }

    /** Records every group (the version directory is emptied first) or only the groups named in {@code only}. */
    static int record(Path vectorsDir, List<String> only) throws IOException, SQLException {
        EmbeddedMariaDb server = EmbeddedMariaDb.shared();
        createSchema(server);
        VectorWriter writer = new VectorWriter(vectorsDir, server.version());
        if (only.isEmpty()) {
            deleteOldVectors(writer.versionDir());
        }
        List<Captures> groups = List.of(
                new HandshakeCaptures(server, writer),
                new QueryCaptures(server, writer),
                new SessionTrackCaptures(server, writer),
                new CommandCaptures(server, writer),
                new PreparedStatementCaptures(server, writer),
                new CursorCaptures(server, writer));
        for (Captures group : groups) {
            if (only.isEmpty() || only.contains(group.getClass().getSimpleName())) {
                group.recordAll();
            }
        }
        return writer.filesWritten();
    }

    private static void createSchema(EmbeddedMariaDb server) throws SQLException {
        try (Connection c = server.connection(EmbeddedMariaDb.ROOT, EmbeddedMariaDb.APP_DATABASE);
                Statement s = c.createStatement()) {
            for (String sql : SCHEMA) {
                s.execute(sql);
            }
        }
    }

    private static void deleteOldVectors(Path versionDir) throws IOException {
        if (!Files.isDirectory(versionDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(versionDir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".hex")).toList()) {
                Files.delete(file);
            }
        }
    }

    private static Path defaultVectorsDir() {
        for (Path repository : List.of(Path.of("."), Path.of(".."))) {
            if (Files.isDirectory(repository.resolve("protocol-codec"))) {
                return repository.resolve(DEFAULT_VECTORS_DIR).normalize();
            }
        }
        throw new IllegalArgumentException("run from the repository root or pass the vectors directory");
    }
}
