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

    @Test
    void aBrokerStoppedInPlaceComesBackOnTheSamePortWithItsRecords(@TempDir Path root) throws Exception {
        try (LocalKafka kafka = LocalKafka.start(KafkaSettings.defaults().withWorkRoot(root))) {
            kafka.createTopics(java.util.List.of("restart-probe"), 1);
            java.util.Map<String, Object> common = java.util.Map.of("bootstrap.servers", kafka.bootstrapServers());
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(common,
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.StringSerializer())) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("restart-probe", "k", "before")).get();
            }
            int port = kafka.port();

            kafka.stopBroker();
            assertThat(kafka.terminated()).isDone();
            assertThat(TestDirs.accepts(port)).isFalse();
            kafka.startBroker();

            assertThat(kafka.port()).isEqualTo(port);
            assertThat(TestDirs.accepts(port)).isTrue();
            java.util.Map<String, Object> consumer = new java.util.HashMap<>(common);
            consumer.put("group.id", "restart-probe");
            consumer.put("auto.offset.reset", "earliest");
            try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(consumer,
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.StringDeserializer())) {
                c.subscribe(java.util.List.of("restart-probe"));
                java.util.List<String> values = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    c.poll(java.time.Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
                }
                assertThat(values).containsExactly("before");
            }
        }
    }
}
