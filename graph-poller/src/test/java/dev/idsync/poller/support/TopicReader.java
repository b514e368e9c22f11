package dev.idsync.poller.support;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.kafka.SyncEventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic of the real broker from the beginning to its end as it is now, like another internal
 * system would (plain kafka-clients, sync-events' deserializer). A run's events are all acknowledged before
 * the run is recorded as ended, so reading to the end offsets after that sees every one of them.
 */
public final class TopicReader {

    private TopicReader() {
    }

    /**
     * Records of the topic whose key belongs to the tenant (the tenant id itself on the observation topic,
     * {@code <tenantId>:...} elsewhere), in partition order.
     */
    public static List<ConsumerRecord<String, SyncEvent>> readAll(String bootstrapServers, String topic, String tenantId) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "poller-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<ConsumerRecord<String, SyncEvent>> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new SyncEventDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                for (ConsumerRecord<String, SyncEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && (r.key().equals(tenantId) || r.key().startsWith(tenantId + ":"))) {
                        seen.add(r);
                    }
                }
            }
        }
        return seen;
    }

    public static List<SyncEvent> events(String bootstrapServers, String topic, String tenantId) {
        return readAll(bootstrapServers, topic, tenantId).stream().map(ConsumerRecord::value).collect(Collectors.toList());
    }
}
