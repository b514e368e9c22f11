package dev.idsync.audit.recording;

import dev.idsync.db.RefusalIsolation;
import dev.idsync.kafka.DeadLetters;
import dev.idsync.kafka.EventTriage;
import dev.idsync.kafka.PoisonFilter;
import dev.idsync.kafka.PoisonReason;
import dev.idsync.kafka.trace.BatchSpans;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records each poll batch of every idsync topic; the batch is acknowledged when this returns.
 *
 * <p>Poison. The audit is the record of what was on the topics, so it records every record it can store,
 * readable or not (AuditEntry). A record that is not JSON, not a CloudEvent, or violates its type's JSON
 * Schema is recorded <em>and</em> a copy goes to {@code <topic>.dlq} (counted, logged), so poison on a topic
 * only the audit reads (role assignments, profile changes) is seen too. An unknown type is recorded verbatim
 * and is no poison here (a newer producer's type is what the audit must keep); the audit reads no tenant list.
 * A batch the database refuses for good is split until the refused records are isolated: those go to the
 * {@code .dlq} (the only records missing from the trail, and why is in the letter), the rest is recorded.
 */
@ApplicationScoped
public class AuditConsumer {

    static final String GROUP = "audit-log";
    /** The poison the audit still records but also reports. */
    private static final Set<PoisonReason> REPORTED = EnumSet.of(
            PoisonReason.NOT_JSON, PoisonReason.NOT_A_CLOUD_EVENT, PoisonReason.SCHEMA_VIOLATION);

    private final AuditRecorder recorder;
    private final EventTriage triage;
    private final DeadLetters deadLetters;
    private final PoisonFilter poison;
    private final BatchSpans spans;

    AuditConsumer(AuditRecorder recorder, EventTriage triage, DeadLetters deadLetters, PoisonFilter poison,
            BatchSpans spans) {
        this.spans = spans;
        this.recorder = recorder;
        this.triage = triage;
        this.deadLetters = deadLetters;
        this.poison = poison;
    }

    private record Read(ConsumerRecord<String, byte[]> record, AuditEntry entry) {
    }

    @Incoming("all-changes")
    @Blocking // ordered (the default): one batch at a time keeps per-key order
    public void consume(ConsumerRecords<String, byte[]> records) {
        // One consumer span per batch (BatchSpans): the audit's insert joins the trace of the first record.
        try (BatchSpans.Batch span = spans.start(records, GROUP)) {
            try {
                record(records);
            } catch (RuntimeException e) {
                span.failed(e);
                throw e;
            }
        }
    }

    private void record(ConsumerRecords<String, byte[]> batch) {
        List<Read> reads = new ArrayList<>(batch.count());
        List<DeadLetters.Letter> reported = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            if (record.value() != null) {
                EventTriage.Verdict verdict = triage.judge(record);
                if (verdict.isPoison() && REPORTED.contains(verdict.poison().reason())) {
                    reported.add(new DeadLetters.Letter(record, verdict.poison(), GROUP));
                }
            }
            reads.add(new Read(record, AuditEntry.from(record)));
        }
        deadLetters.send(reported);
        RefusalIsolation.Outcome<Read, Integer> outcome = RefusalIsolation.apply(reads,
                part -> recorder.record(part.stream().map(Read::entry).toList()));
        outcome.refused().forEach(r -> poison.refusedByDatabase(r.item().record(), r.reason(), GROUP));
    }
}
