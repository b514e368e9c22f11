package dev.idsync.infra.test;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.kafka.SyncEventDeserializer;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.events.kafka.SyncEventSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Talks to the real broker the way another internal system would: plain kafka-clients with the
 * sync-events (de)serializers. Tests use it to put events on a topic and to read what a service
 * published, so they exercise the real wire format instead of an in-memory connector.
 */
public final class EventTopicProbe {

    /**
     * Kafka loads its default JmxReporter by name through the thread's context class loader; inside a
     * {@code @QuarkusTest} that can be another loader than the one of the client's own classes, and the
     * client then fails with a ClassCastException (seen now and then). A probe needs no JMX metrics.
     */
    private static final String NO_REPORTERS = "";

    private EventTopicProbe() {
    }

    /** Publishes the events to their normal topics (acks=all) and waits until the broker has them all. */
    public static void publish(String bootstrapServers, Collection<? extends SyncEvent> events) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, NO_REPORTERS,
                SyncEventSerializer.SOURCE_CONFIG, "urn:idsync:test");
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new SyncEventSerializer())) {
            for (SyncEvent event : events) {
                producer.send(SyncEventRecords.of(event));
            }
            producer.flush();
        }
    }

    /**
     * Reads the topic from the beginning (read_committed, a fresh consumer group) until {@code done}
     * accepts what was read so far, or fails after {@code timeout} showing what it saw.
     */
    public static List<ConsumerRecord<String, SyncEvent>> readUntil(String bootstrapServers, String topic,
            Predicate<List<ConsumerRecord<String, SyncEvent>>> done, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, NO_REPORTERS);
        List<ConsumerRecord<String, SyncEvent>> seen = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new SyncEventDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (!done.test(seen)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("after " + timeout + " topic " + topic + " held " + seen.size()
                            + " records, not what was expected: " + seen.stream().map(ConsumerRecord::value).toList());
                }
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        return seen;
    }
}
