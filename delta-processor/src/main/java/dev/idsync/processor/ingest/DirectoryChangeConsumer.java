package dev.idsync.processor.ingest;

import dev.idsync.db.DatabaseRetry;
import dev.idsync.events.SyncEvent;
import dev.idsync.processor.store.DirectoryBatchApplier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds each poll batch of the directory and sync-run topics to the store, in one transaction; the
 * batch's offsets are committed when this returns, so after the transaction (at-least-once, DESIGN.md
 * invariant 3). One channel for all of them, consumed in order, keeps per-key order and lets a run's
 * completion be handled in line with its objects' events.
 */
@ApplicationScoped
public class DirectoryChangeConsumer {

    private final DirectoryBatchApplier applier;
    private final DeadLetters deadLetters;
    private final DatabaseRetry retry;
    private final Counter eventsApplied;
    private final DistributionSummary batchSize;
    private final Timer batchDuration;

    DirectoryChangeConsumer(DirectoryBatchApplier applier, DeadLetters deadLetters, DatabaseRetry retry,
                            MeterRegistry registry) {
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.retry = retry;
        this.eventsApplied = Counter.builder("idsync.processor.events.applied")
                .description("events applied to the store (rate = events/s)").register(registry);
        this.batchSize = DistributionSummary.builder("idsync.processor.batch.size")
                .description("records per applied poll batch").publishPercentileHistogram(false).register(registry);
        this.batchDuration = Timer.builder("idsync.processor.batch.duration")
                .description("time to apply one poll batch, transaction included").register(registry);
    }

    @Incoming("directory")
    @Blocking // ordered (the default): one batch at a time keeps per-key order
    public void consume(ConsumerRecords<String, SyncEvent> records) {
        List<SyncEvent> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, SyncEvent> record : records) {
            if (record.value() == null) {
                if (DeadLetters.failedToDeserialize(record)) {
                    deadLetters.send(record);
                } // else a tombstone: nothing to apply
            } else {
                events.add(record.value());
            }
        }
        batchSize.record(records.count());
        // A database restart pauses the channel here (offsets uncommitted) instead of stopping it.
        batchDuration.record(() -> retry.run("apply directory batch", () -> applier.apply(events)));
        eventsApplied.increment(events.size());
    }
}
