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
    void missingProgramsAreReportedWithTheInstallCommand(@TempDir Path empty) {
        assertThatThrownBy(() -> PostgresBinaries.locate(List.of(empty)))
                .isInstanceOf(IllegalStateException.class)
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
    void thisMachineHasThem() {
        assertThat(PostgresBinaries.locate().tool("initdb")).isExecutable();
    }
}
