package dev.idsync.systemtests.topics;

import dev.idsync.events.DeletionsDecided;
import dev.idsync.events.DirectoryRoleRemoved;
import dev.idsync.events.GroupRemoved;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.kafka.SyncEventDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics of the real broker from the beginning to their end as it is now, as another internal
 * system would: plain kafka-clients, {@code read_committed} (profile-writer publishes in Kafka
 * transactions), values kept as the published bytes so headers and bodies can be compared.
 */
public final class TopicRecords {

    private TopicRecords() {
    }

    /** Every committed record of the topics, in partition order. */
    public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, Collection<String> topics) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        forEach(bootstrapServers, topics, seen::add);
        return seen;
    }

    /**
     * Hands every committed record of the topics, in partition order, to {@code action} without keeping
     * them: for reading every topic of a long run in a test JVM of modest heap.
     */
    public static void forEach(String bootstrapServers, Collection<String> topics, Consumer<ConsumerRecord<String, byte[]>> action) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "system-tests-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed these are the last stable offsets: everything committed so far.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topics + " to their end " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(action);
            }
        }
    }

    /** The events of one topic whose key belongs to {@code keyPrefix} ({@code <tenant>:} or {@code <tenant>:<object>}). */
    public static List<SyncEvent> events(String bootstrapServers, String topic, String keyPrefix) {
        SyncEventDeserializer deserializer = new SyncEventDeserializer();
        List<SyncEvent> events = new ArrayList<>();
        forEach(bootstrapServers, List.of(topic), r -> {
            if (r.key() != null && r.key().startsWith(keyPrefix)) {
                events.add(deserializer.deserialize(r.topic(), r.headers(), r.value()));
            }
        });
        return events;
    }

    /** The deletion gate's decisions about the tenant's runs ({@code deletions.decided} on the runs topic), in order. */
    public static List<DeletionsDecided> decisions(String bootstrapServers, String tenantId) {
        return events(bootstrapServers, Topics.SYNC_RUNS, tenantId + ":").stream()
                .filter(DeletionsDecided.class::isInstance).map(DeletionsDecided.class::cast).toList();
    }

    /**
     * Every removal of one of these objects on any public directory topic, however old: a held deletion
     * must be on none (a replica, being each key's last record, would not show one that an upsert followed).
     */
    public static List<SyncEvent> removalsOf(String bootstrapServers, String tenantId, Collection<String> objectIds) {
        List<SyncEvent> removals = new ArrayList<>();
        for (String topic : Topics.DIRECTORY) {
            events(bootstrapServers, topic, tenantId + ":").stream()
                    .filter(e -> objectIds.contains(e.objectId())
                            && (e instanceof UserRemoved || e instanceof GroupRemoved || e instanceof DirectoryRoleRemoved))
                    .forEach(removals::add);
        }
        return removals;
    }

    /** The record's {@code ce_id} header, or null when it has none (not a binary-mode CloudEvent). */
    public static String ceId(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader("ce_id");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The record's {@code ce_type} header, or null. */
    public static String ceType(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader("ce_type");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
