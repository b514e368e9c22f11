package dev.idsync.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleRemoved;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupRemoved;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import dev.idsync.events.kafka.SyncEventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a subscriber sees: the public directory topics and {@code idsync.sync.runs.v1}, read from offset 0
 * with a plain consumer (no group: assigned every partition), as one tenant's records in the order of each
 * partition. Read-uncommitted suffices: the relay does not publish in Kafka transactions.
 */
final class PublicTopics implements AutoCloseable {

    static final List<String> ALL = List.of(Topics.USERS, Topics.GROUPS, Topics.MEMBERSHIPS, Topics.DIRECTORY_ROLES,
            Topics.SYNC_RUNS);

    private final String tenant;
    private final KafkaConsumer<String, SyncEvent> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final List<ConsumerRecord<String, SyncEvent>> seen = new ArrayList<>();

    PublicTopics(String bootstrapServers, String tenant) {
        this.tenant = tenant;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, ""),
                new StringDeserializer(), new SyncEventDeserializer());
        for (String topic : ALL) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Everything published so far: reads up to the end offsets as of now. */
    List<ConsumerRecord<String, SyncEvent>> readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, SyncEvent> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() != null && tenant.equals(record.value().tenantId())) {
                    seen.add(record);
                }
            }
        }
        return List.copyOf(seen);
    }

    /** The tenant's events so far, topic by topic in partition order. */
    List<SyncEvent> events() {
        return readToEnd().stream().map(ConsumerRecord::value).toList();
    }

    /** Waits until the tenant's events so far satisfy {@code done}; returns them (fails showing them). */
    List<SyncEvent> awaitEvents(Duration timeout, Predicate<List<SyncEvent>> done) {
        List<List<SyncEvent>> last = new ArrayList<>(List.of(List.of()));
        await().atMost(timeout).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            last.set(0, events());
            assertThat(done.test(last.get(0))).as("public events of %s: %s", tenant, last.get(0)).isTrue();
        });
        return last.get(0);
    }

    /** A subscriber's replica of the directory topics: the last record per key (what compaction keeps). */
    Map<String, SyncEvent> fold() {
        Map<String, SyncEvent> last = new LinkedHashMap<>();
        for (ConsumerRecord<String, SyncEvent> record : readToEnd()) {
            if (Topics.DIRECTORY.contains(record.topic())) {
                last.put(record.key(), record.value());
            }
        }
        return last;
    }

    /**
     * The fold as {@link StoreProbe#decidedState()} describes the store: per object key its full object or
     * its removal's reason, per membership key its member type while present (a removed membership is as
     * good as none).
     */
    Map<String, String> foldedState() {
        Map<String, String> state = new TreeMap<>();
        fold().forEach((key, event) -> {
            String described = switch (event) {
                case UserUpserted e -> "user " + StoreProbe.canonical(e.data());
                case GroupUpserted e -> "group " + StoreProbe.canonical(e.data());
                case DirectoryRoleUpserted e -> "directoryRole " + StoreProbe.canonical(e.data());
                case UserRemoved e -> "user removed " + e.data().reason().json();
                case GroupRemoved e -> "group removed " + e.data().reason().json();
                case DirectoryRoleRemoved e -> "directoryRole removed " + e.data().reason().json();
                case MembershipAdded e -> "member " + e.data().memberType().json();
                case DirectoryRoleMemberAdded e -> "member " + e.data().memberType().json();
                default -> null; // a removed membership
            };
            if (described != null) {
                state.put(key, described);
            }
        });
        return state;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
