package dev.idsync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresLifecycleTest {

    @Test
    void closeStopsTheServerAndDeletesTheCluster(@TempDir Path root) {
        LocalPostgres postgres = LocalPostgres.start(0, TestDirs.traversable(root));
        Path dir = postgres.directory();
        assertThat(dir.resolve("data/PG_VERSION")).exists();
        assertThat(TestDirs.accepts(postgres.port())).isTrue();

        postgres.close();

        assertThat(TestDirs.accepts(postgres.port())).isFalse();
        assertThat(dir).doesNotExist();
        assertThat(root).isEmptyDirectory();
        postgres.close(); // idempotent
    }

    @Test
    void theNextStartStopsThePostmasterOfAKilledJvm(@TempDir Path root) throws Exception {
        LocalPostgres abandoned = LocalPostgres.start(0, TestDirs.traversable(root));
        ProcessHandle postmaster = OwnedDirectory.liveServer(abandoned.directory()).orElseThrow();
        // As if the JVM that started it had been killed with -9: the postmaster runs on, ownerless.
        TestDirs.orphan(abandoned.directory());

        try (LocalPostgres next = LocalPostgres.start(0, root)) {
            assertThat(postmaster.isAlive()).isFalse();
            assertThat(TestDirs.accepts(abandoned.port())).isFalse();
            assertThat(abandoned.directory()).doesNotExist();
            try (var entries = Files.list(root)) {
                assertThat(entries.toList()).containsExactly(next.directory());
            }
        }
        abandoned.close(); // nothing left to do, and no error for that
        assertThat(root).isEmptyDirectory();
    }
}
