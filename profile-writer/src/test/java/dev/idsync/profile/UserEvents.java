package dev.idsync.profile;

import dev.idsync.events.SyncEvent;
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

    private static List<SyncEvent> ofKey(List<ConsumerRecord<String, SyncEvent>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).map(ConsumerRecord::value).toList();
    }
}
