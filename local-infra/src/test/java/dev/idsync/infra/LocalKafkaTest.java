package dev.idsync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaTest {

    @TempDir
    static Path root;
    static LocalKafka kafka;

    @BeforeAll
    static void start() {
        kafka = LocalKafka.start(KafkaSettings.defaults().withWorkRoot(root));
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void listensOnLoopback() {
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
    }

    @Test
    void readCommittedConsumersSeeCommittedTransactionsOnly() {
        String topic = "tx-" + UUID.randomUUID();
        kafka.createTopics(List.of(topic), 3);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test-" + UUID.randomUUID(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.initTransactions();
            // One key, so one partition and a defined order.
            send(producer, topic, true, "committed-1", "committed-2");
            send(producer, topic, false, "aborted");
            send(producer, topic, true, "committed-3");
        }

        assertThat(readAll(topic, "read_committed", 3)).containsExactly("committed-1", "committed-2", "committed-3");
        // The aborted record was really written: only the isolation level hides it.
        assertThat(readAll(topic, "read_uncommitted", 4)).contains("aborted");
    }

    @Test
    void createTopicsIsIdempotent() throws Exception {
        List<String> topics = List.of("idem-a-" + UUID.randomUUID(), "idem-b-" + UUID.randomUUID());
        kafka.createTopics(topics, 3);
        kafka.createTopics(topics, 3);
        kafka.createTopics(topics, 5); // existing topics are left as they are

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
            assertThat(described).hasSize(2);
            assertThat(described.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(3));
        }
    }

    @Test
    void a_fast_compacting_topic_is_compacted_within_seconds_and_keeps_each_keys_last_record() throws Exception {
        String topic = "compact-" + UUID.randomUUID();
        kafka.createTopics(List.of(new TopicSpec(topic, 1, IdsyncTopics.compactedConfig(true))));
        int written = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            // Bursts further apart than segment.ms: each closes a segment the cleaner may take.
            for (int burst = 0; burst < 6; burst++) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>(topic, "key-" + (i % 5), "burst-" + burst + "-" + i)).get();
                    written++;
                }
                Thread.sleep(IdsyncTopics.FAST_SEGMENT_MS + 100);
            }
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<ConsumerRecord<String, String>> held = readPartition(topic);
        while (held.size() >= written && System.nanoTime() < deadline) {
            Thread.sleep(500);
            held = readPartition(topic);
        }

        assertThat(held.size()).as("records left of " + written).isLessThan(written);
        Map<String, String> last = new HashMap<>();
        held.forEach(r -> last.put(r.key(), r.value()));
        assertThat(last).containsExactlyInAnyOrderEntriesOf(Map.of(
                "key-0", "burst-5-45", "key-1", "burst-5-46", "key-2", "burst-5-47", "key-3", "burst-5-48",
                "key-4", "burst-5-49"));
    }

    /** Every record partition 0 holds now, from its first offset to its end. */
    private static List<ConsumerRecord<String, String>> readPartition(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static void send(KafkaProducer<String, String> producer, String topic, boolean commit, String... values) {
        producer.beginTransaction();
        for (String value : values) {
            producer.send(new ProducerRecord<>(topic, "key", value));
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }

    /** Polls (a blocking call) until {@code expected} records arrived or 30 s passed. */
    private static List<String> readAll(String topic, String isolation, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
