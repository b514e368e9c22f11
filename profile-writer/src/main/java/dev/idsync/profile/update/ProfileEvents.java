package dev.idsync.profile.update;

import dev.idsync.events.SyncEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes records in one Kafka transaction, each on the topic and with the key it names
 * ({@code SyncEventRecords}: {@code profile.updated} on the profile topic keyed by user, the confirmed re-read as
 * an observation on {@code idsync.graph.observations.v1} keyed by tenant), so a read_committed consumer sees
 * all or none. The channel has one transactional producer, which runs one transaction at a time, so
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
    public void publish(List<ProducerRecord<String, SyncEvent>> records) {
        oneTransactionAtATime.lock();
        try {
            producer.withTransaction(tx -> {
                for (ProducerRecord<String, SyncEvent> record : records) {
                    tx.send(KafkaRecord.of(record.topic(), record.key(), record.value()));
                }
                return Uni.createFrom().voidItem();
            }).await().atMost(COMMIT_TIMEOUT);
        } finally {
            oneTransactionAtATime.unlock();
        }
    }
}
