package dev.idsync.processor.ingest;

import dev.idsync.db.DatabaseRetry;
import dev.idsync.db.RefusalIsolation;
import dev.idsync.kafka.PoisonFilter;
import dev.idsync.kafka.Readable;
import dev.idsync.kafka.trace.BatchSpans;
import dev.idsync.processor.store.DryRunCollector;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds each poll batch of the dry-run topic to {@link DryRunCollector}, in one transaction; offsets are
 * committed after it (at-least-once). Its own channel and consumer group: a dry run never reaches the
 * directory store, and a slow plan never holds up the directory topics. Poison goes to
 * {@code idsync.sync.dryrun.v1.dlq} as on the directory channel.
 */
@ApplicationScoped
public class DryRunConsumer {

    static final String GROUP = "delta-processor-dryrun";

    private final DryRunCollector collector;
    private final PoisonFilter poison;
    private final DatabaseRetry retry;
    private final BatchSpans spans;

    DryRunConsumer(DryRunCollector collector, PoisonFilter poison, DatabaseRetry retry, BatchSpans spans) {
        this.spans = spans;
        this.collector = collector;
        this.poison = poison;
        this.retry = retry;
    }

    @Incoming("dryrun")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        try (BatchSpans.Batch batch = spans.start(records, GROUP)) {
            try {
                collect(records, batch);
            } catch (RuntimeException e) {
                batch.failed(e);
                throw e;
            }
        }
    }

    private void collect(ConsumerRecords<String, byte[]> records, BatchSpans.Batch batch) {
        List<Readable> readable = poison.readable(records, GROUP);
        batch.describe(readable);
        RefusalIsolation.Outcome<Readable, Integer> outcome = RefusalIsolation.apply(readable,
                part -> retry.call("collect dry run", () -> collector.collect(positioned(part))));
        outcome.refused().forEach(r -> poison.refusedByDatabase(r.item().record(), r.reason(), GROUP));
    }

    private static List<DryRunCollector.Positioned> positioned(List<Readable> part) {
        return part.stream().map(r -> {
            ConsumerRecord<String, byte[]> record = r.record();
            return new DryRunCollector.Positioned(
                    new DryRunCollector.Position(record.topic(), record.partition(), record.offset()), r.event());
        }).toList();
    }
}
