package dev.idsync.roles.directory;

import dev.idsync.db.RefusalIsolation;
import dev.idsync.events.SyncEvent;
import dev.idsync.kafka.PoisonFilter;
import dev.idsync.kafka.Readable;
import dev.idsync.kafka.trace.BatchSpans;
import dev.idsync.roles.assignment.AssignmentChange;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The public users, groups and memberships topics ({@code idsync.directory.*.v2}: what delta-processor
 * decided; consumer group {@code role-mapper}, read_committed), one poll batch at a time per topic; each
 * batch is acknowledged when this returns, i.e. after its transaction committed.
 *
 * <p>Poison never stops a channel: an unreadable or unknown record goes to {@code <topic>.dlq}
 * ({@link PoisonFilter}) before the batch is applied, and a batch the database refuses for good is split
 * until the refused records are isolated and dead-lettered, the rest applied in order
 * ({@link RefusalIsolation}).
 *
 * <p>Each batch is one consumer span ({@link BatchSpans}): a child of delta-processor's span its first record
 * names (the outbox row's writer), linked to the others'.
 */
@ApplicationScoped
public class DirectoryConsumer {

    /** The consumer group of all three channels (application.properties). */
    static final String GROUP = "role-mapper";

    private final DirectoryBatchApplier applier;
    private final PoisonFilter poison;
    private final BatchSpans spans;

    DirectoryConsumer(DirectoryBatchApplier applier, PoisonFilter poison, BatchSpans spans) {
        this.spans = spans;
        this.applier = applier;
        this.poison = poison;
    }

    @Incoming("users")
    @Blocking // ordered (the default): one batch at a time keeps per-key order (per object, per membership)
    public void users(ConsumerRecords<String, byte[]> batch) {
        apply(batch);
    }

    @Incoming("groups")
    @Blocking
    public void groups(ConsumerRecords<String, byte[]> batch) {
        apply(batch);
    }

    @Incoming("memberships")
    @Blocking
    public void memberships(ConsumerRecords<String, byte[]> batch) {
        apply(batch);
    }

    /** {@code idsync.directory.roles.v2}: for the optional directory role → application role mapping. */
    @Incoming("directory-roles")
    @Blocking
    public void directoryRoles(ConsumerRecords<String, byte[]> batch) {
        apply(batch);
    }

    private void apply(ConsumerRecords<String, byte[]> records) {
        try (BatchSpans.Batch batch = spans.start(records, GROUP)) {
            try {
                apply(records, batch);
            } catch (RuntimeException e) {
                batch.failed(e);
                throw e;
            }
        }
    }

    private void apply(ConsumerRecords<String, byte[]> batch, BatchSpans.Batch span) {
        List<Readable> readable = poison.readable(batch, GROUP);
        span.describe(readable);
        RefusalIsolation.Outcome<Readable, List<AssignmentChange>> outcome =
                RefusalIsolation.apply(readable, part -> applier.apply(events(part)));
        outcome.refused().forEach(r -> poison.refusedByDatabase(r.item().record(), r.reason(), GROUP));
    }

    private static List<SyncEvent> events(List<Readable> part) {
        return part.stream().map(Readable::event).toList();
    }
}
