package dev.idsync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start and stop of a broker of its own (one broker start, as each costs seconds). */
class LocalKafkaLifecycleTest {

    @Test
    void startSweepsWhatAKilledJvmLeftAndCloseLeavesNothing(@TempDir Path root) throws Exception {
        Path orphan = Files.createDirectories(root.resolve("kafka-1234567890"));
        Files.createDirectories(orphan.resolve("data/idsync.directory.users.v1-0"));
        try (OutputStream out = Files.newOutputStream(orphan.resolve(OwnedDirectory.MARKER))) {
            TestDirs.deadOwner().store(out, null);
        }

        LocalKafka kafka = LocalKafka.start(KafkaSettings.defaults().withWorkRoot(root));
        Path dir = kafka.directory();

        assertThat(orphan).doesNotExist();
        try (var entries = Files.list(root)) {
            assertThat(entries.toList()).containsExactly(dir);
        }
        assertThat(dir.resolve("data")).isDirectory();
        assertThat(TestDirs.accepts(kafka.port())).isTrue();

        kafka.close();

        assertThat(kafka.terminated()).isDone();
        assertThat(TestDirs.accepts(kafka.port())).isFalse();
        assertThat(dir).doesNotExist();
        assertThat(root).isEmptyDirectory();
        kafka.close(); // idempotent
    }
}
