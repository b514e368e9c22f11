package dev.idsync.profile;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.infra.test.EventTopicProbe;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads what profile-writer published for one user from the real broker (read_committed). */
public final class UserEvents {

    private UserEvents() {
    }

    /** The events of the topic keyed by this user, once {@code done} accepts them (in partition order). */
    public static List<SyncEvent> eventsOf(String bootstrap, String topic, String key, Predicate<List<SyncEvent>> done) {
        List<ConsumerRecord<String, SyncEvent>> records = EventTopicProbe.readUntil(bootstrap, topic,
                seen -> done.test(ofKey(seen, key)), Duration.ofSeconds(30));
        return ofKey(records, key);
    }

    /**
     * The observations of this user on {@link Topics#GRAPH_OBSERVATIONS} (keyed by the tenant alone), once
     * {@code done} accepts them (in partition order).
     */
    public static List<SyncEvent> observationsOf(String bootstrap, String tenantId, String userId,
            Predicate<List<SyncEvent>> done) {
        List<ConsumerRecord<String, SyncEvent>> records = EventTopicProbe.readUntil(bootstrap,
                Topics.GRAPH_OBSERVATIONS, seen -> done.test(ofUser(seen, tenantId, userId)), Duration.ofSeconds(30));
        return ofUser(records, tenantId, userId);
    }

    private static List<SyncEvent> ofKey(List<ConsumerRecord<String, SyncEvent>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    private static List<SyncEvent> ofUser(List<ConsumerRecord<String, SyncEvent>> records, String tenantId,
            String userId) {
        return records.stream().filter(r -> tenantId.equals(r.key())).map(ConsumerRecord::value)
                .filter(e -> userId.equals(e.objectId())).toList();
    }
}
