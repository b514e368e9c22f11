package dev.idsync.profile.update;

import dev.idsync.events.SyncEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes events in one Kafka transaction, each on its contract topic ({@code profile.updated} on the
 * profile topic, the confirmed {@code user.upserted} on the users topic), so a read_committed consumer sees
 * both or neither. The channel has one transactional producer, which runs one transaction at a time, so
 * concurrent requests (of different users) take turns here; a transaction is a few milliseconds.
 */
@ApplicationScoped
public class ProfileEvents {

    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaTransactions<SyncEvent> producer;
    private final ReentrantLock oneTransactionAtATime = new ReentrantLock(true);

    ProfileEvents(@Channel("profile-changes") KafkaTransactions<SyncEvent> producer) {
        this.producer = producer;
    }

    /** Returns once Kafka committed the transaction; throws if it aborted. */
    public void publish(List<? extends SyncEvent> events) {
        oneTransactionAtATime.lock();
        try {
            producer.withTransaction(tx -> {
                for (SyncEvent event : events) {
                    tx.send(KafkaRecord.of(event.eventType().topic(), event.key(), event));
                }
                return Uni.createFrom().voidItem();
            }).await().atMost(COMMIT_TIMEOUT);
        } finally {
            oneTransactionAtATime.unlock();
        }
    }
}
