package dev.idsync.processor.ingest;

import dev.idsync.db.DatabaseRetry;
import dev.idsync.db.RefusalIsolation;
import dev.idsync.events.SyncEvent;
import dev.idsync.kafka.PoisonFilter;
import dev.idsync.kafka.Readable;
import dev.idsync.kafka.trace.BatchSpans;
import dev.idsync.processor.outbox.OutboxRelay;
import dev.idsync.processor.store.DirectoryBatchApplier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds each poll batch of Graph observations ({@code idsync.graph.observations.v1}) to the store, in one
 * transaction that also appends what was decided to the outbox; the batch's offsets are committed when
 * this returns, so after the transaction (at-least-once, DESIGN.md invariant 3), and the outbox relay is
 * woken to publish the decisions. The topic is keyed by tenant: one tenant's observations and run markers
 * arrive in one partition in the order they were published, so a run's completion is read after every
 * page of the run, and one ordered consumer keeps that order.
 *
 * <p>Poison never stops the channel: an unreadable or unknown record goes to {@code <topic>.dlq} before the
 * batch is applied ({@link PoisonFilter}); a batch the database refuses for good is split until the refused
 * records are isolated and dead-lettered, the rest applied in order ({@link RefusalIsolation}).
 *
 * <p>Each batch is one consumer span ({@link BatchSpans}): a child of the poller's page or run span its first
 * record names, linked to the others'; the outbox rows its transaction writes keep that span's context.
 */
@ApplicationScoped
public class DirectoryChangeConsumer {

    /** The channel of Graph observations (application.properties names its topic and group). */
    static final String CHANNEL = "directory";
    static final String GROUP = "delta-processor";

    private final DirectoryBatchApplier applier;
    private final OutboxRelay relay;
    private final PoisonFilter poison;
    private final DatabaseRetry retry;
    private final BatchSpans spans;
    private final Counter eventsApplied;
    private final DistributionSummary batchSize;
    private final Timer batchDuration;

    DirectoryChangeConsumer(DirectoryBatchApplier applier, OutboxRelay relay, PoisonFilter poison,
                            DatabaseRetry retry, MeterRegistry registry, BatchSpans spans) {
        this.spans = spans;
        this.applier = applier;
        this.relay = relay;
        this.poison = poison;
        this.retry = retry;
        this.eventsApplied = Counter.builder("idsync.processor.events.applied")
                .description("events applied to the store (rate = events/s)").register(registry);
        this.batchSize = DistributionSummary.builder("idsync.processor.batch.size")
                .description("records per applied poll batch").publishPercentileHistogram(false).register(registry);
        this.batchDuration = Timer.builder("idsync.processor.batch.duration")
                .description("time to apply one poll batch, transaction included").register(registry);
    }

    @Incoming(CHANNEL)
    @Blocking // ordered (the default): one batch at a time keeps per-key order
    public void consume(ConsumerRecords<String, byte[]> records) {
        try (BatchSpans.Batch batch = spans.start(records, GROUP)) {
            try {
                apply(records, batch);
            } catch (RuntimeException e) {
                batch.failed(e);
                throw e;
            }
        }
    }

    private void apply(ConsumerRecords<String, byte[]> records, BatchSpans.Batch batch) {
        List<Readable> readable = poison.readable(records, GROUP);
        batch.describe(readable);
        batchSize.record(records.count());
        // A database restart pauses the channel in the retry (offsets uncommitted) instead of stopping it.
        RefusalIsolation.Outcome<Readable, DirectoryBatchApplier.Applied> outcome = batchDuration.record(
                () -> RefusalIsolation.apply(readable, part -> retry.call("apply directory batch",
                        () -> applier.apply(events(part)))));
        outcome.refused().forEach(r -> poison.refusedByDatabase(r.item().record(), r.reason(), GROUP));
        eventsApplied.increment(readable.size() - outcome.refused().size());
        if (outcome.applied().stream().anyMatch(applied -> applied.decided() > 0)) {
            relay.requestFlush(); // committed: publish now rather than at the next scheduled relay
        }
    }

    private static List<SyncEvent> events(List<Readable> part) {
        return part.stream().map(Readable::event).toList();
    }
}
