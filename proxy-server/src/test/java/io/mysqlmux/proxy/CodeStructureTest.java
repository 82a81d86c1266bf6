package io.mysqlmux.proxy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shape a newcomer should find: packages that depend on each other one way only (the root
 * package, which wires everything, on all of them and none on it), and classes short enough to read
 * in one sitting.
 */
class CodeStructureTest {
    private static final int MAX_LINES = 400;
    private static final JavaClasses PROXY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target/classes"));

    @Test
    void packagesDependOnEachOtherOneWayOnly() {
        slices().matching("io.mysqlmux.proxy.(*)..").should().beFreeOfCycles().check(PROXY);
    }

    @Test
    void nothingDependsOnTheRootPackageThatWiresEverything() {
        noClasses().that().resideInAPackage("io.mysqlmux.proxy.*..")
                .should().dependOnClassesThat().resideInAPackage("io.mysqlmux.proxy")
                .check(PROXY);
    }

    @Test
    void noMainClassIsLongerThanFourHundredLines() throws IOException {
        Path sources = Path.of("src/main/java");
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(sources)) {
            tooLong = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> lines(file) > MAX_LINES)
                    .map(file -> sources.relativize(file) + " (" + lines(file) + " lines)")
                    .sorted().toList();
        }
        assertEquals(List.of(), tooLong, "split these before adding to them");
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
