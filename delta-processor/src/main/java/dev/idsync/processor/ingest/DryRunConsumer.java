package dev.idsync.processor.ingest;

import dev.idsync.db.DatabaseRetry;
import dev.idsync.events.SyncEvent;
import dev.idsync.processor.store.DryRunCollector;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds each poll batch of the dry-run topic to {@link DryRunCollector}, in one transaction; offsets are
 * committed after it (at-least-once). Its own channel and consumer group: a dry run never reaches the
 * directory store, and a slow plan never holds up the directory topics.
 */
@ApplicationScoped
public class DryRunConsumer {

    private final DryRunCollector collector;
    private final DeadLetters deadLetters;

    private final DatabaseRetry retry;

    DryRunConsumer(DryRunCollector collector, DeadLetters deadLetters, DatabaseRetry retry) {
        this.collector = collector;
        this.deadLetters = deadLetters;
        this.retry = retry;
    }

    @Incoming("dryrun")
    @Blocking
    public void consume(ConsumerRecords<String, SyncEvent> records) {
        List<DryRunCollector.Positioned> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, SyncEvent> record : records) {
            if (record.value() == null && DeadLetters.failedToDeserialize(record)) {
                deadLetters.send(record);
            }
            batch.add(new DryRunCollector.Positioned(
                    new DryRunCollector.Position(record.topic(), record.partition(), record.offset()), record.value()));
        }
        retry.run("collect dry run", () -> collector.collect(batch));
    }
}
