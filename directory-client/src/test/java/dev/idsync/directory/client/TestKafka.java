package dev.idsync.directory.client;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.events.kafka.SyncEventSerializer;
import dev.idsync.infra.test.SharedInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The test JVM's real broker (local-infra's shared one, with every idsync topic) and what the tests put on
 * it: events as idsync publishes them ({@link SyncEventRecords#of}, the public keys), and raw records for
 * what idsync never publishes (tombstones, poison).
 */
final class TestKafka {

    private TestKafka() {
    }

    static String bootstrap() {
        return SharedInfra.kafkaConfig().get("kafka.bootstrap.servers");
    }

    /** Publishes to each event's public topic with its public key; returns once the broker has them all. */
    static void publish(SyncEvent... events) {
        try (KafkaProducer<String, SyncEvent> producer = producer()) {
            for (SyncEvent event : events) {
                producer.send(SyncEventRecords.of(event));
            }
            producer.flush();
        }
    }

    /** Publishes to {@code topic} with the events' public keys (topics of a test's own). */
    static void publishTo(String topic, List<? extends SyncEvent> events) {
        try (KafkaProducer<String, SyncEvent> producer = producer()) {
            for (SyncEvent event : events) {
                producer.send(SyncEventRecords.of(topic, event));
            }
            producer.flush();
        }
    }

    /** A record as is: {@code value} null is a tombstone; no headers unless given. */
    static void sendRaw(String topic, String key, byte[] value, Map<String, String> headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, text) -> recordHeaders.add(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, null, key, value, recordHeaders));
            producer.flush();
        }
    }

    /** The partitions a consumer sees of these topics, 0 while any of them is not visible yet. */
    static int partitionsOf(List<String> topics) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            int partitions = 0;
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic);
                if (infos == null || infos.isEmpty()) {
                    return 0;
                }
                partitions += infos.size();
            }
            return partitions;
        }
    }

    /** How many records the topic holds now, from each partition's first offset to its end. */
    static int recordsIn(String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            int count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private static KafkaProducer<String, SyncEvent> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                SyncEventSerializer.SOURCE_CONFIG, "urn:idsync:directory-client-test"),
                new StringSerializer(), new SyncEventSerializer());
    }
}
