package dev.idsync.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit's Prometheus metrics. Events recorded per second is {@code rate(idsync_audit_events_recorded_total[1m])};
 * the lag is how long the newest recorded event waited between the broker and its commit here (the Kafka
 * client's own {@code kafka_consumer_fetch_manager_records_lag*} say how far behind the consumer is).
 */
@ApplicationScoped
public class AuditMetrics {

    private final Counter recorded;
    private final Counter duplicates;
    private final Timer batch;
    private final AtomicLong lagMillis = new AtomicLong();
    private final MeterRegistry registry;

    AuditMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.recorded = Counter.builder("idsync.audit.events.recorded")
                .description("Events appended to the audit chain").register(registry);
        this.duplicates = Counter.builder("idsync.audit.events.duplicate")
                .description("Events skipped because their ce_id was already recorded (replays, redeliveries)")
                .register(registry);
        this.batch = Timer.builder("idsync.audit.batch.duration")
                .description("Time to record one consumer batch, locks and commit included").register(registry);
        // Both results from the start, so IdsyncAuditChainBroken's increase() sees the first broken run.
        registry.counter("idsync.audit.verify.runs", "result", "intact");
        registry.counter("idsync.audit.verify.runs", "result", "broken");
        registry.gauge("idsync.audit.recording.lag.seconds", lagMillis, m -> m.get() / 1000.0);
    }

    public void batchRecorded(int appended, int skipped, Duration took, Instant newestPublishedAt, Instant committedAt) {
        recorded.increment(appended);
        duplicates.increment(skipped);
        batch.record(took);
        if (newestPublishedAt != null) {
            lagMillis.set(Math.max(0, Duration.between(newestPublishedAt, committedAt).toMillis()));
        }
    }

    public void verified(boolean intact, long rows, Duration took) {
        String result = intact ? "intact" : "broken";
        registry.counter("idsync.audit.verify.runs", "result", result).increment();
        registry.counter("idsync.audit.verify.rows").increment(rows);
        registry.timer("idsync.audit.verify.duration", "result", result).record(took);
    }

    public void partitionDropped() {
        registry.counter("idsync.audit.retention.partitions.dropped").increment();
    }

    public void retentionRefused() {
        registry.counter("idsync.audit.retention.refused").increment();
    }
}
