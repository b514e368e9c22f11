package dev.idsync.roles.outbox;

import dev.idsync.events.AssignmentSource;
import dev.idsync.events.RoleAssignment;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.RoleAssignmentRevoked;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.events.kafka.SyncEventSerializer;
import dev.idsync.kafka.KafkaClientMeters;
import dev.idsync.kafka.trace.TraceHeaders;
import dev.idsync.roles.db.Transactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes {@code roles.outbox} to {@value Topics#ROLE_ASSIGNMENTS} in order and deletes what the broker
 * acknowledged (acks=all). Called right after each committing transaction, and every few seconds in case
 * a publish failed. One relay at a time across all instances (an advisory lock), so one user's events
 * never overtake each other. A crash between the broker's ack and the delete publishes those events
 * again with the same {@code ce_id} (the body is the same): consumers deduplicate on it.
 *
 * <p>The topic is compacted and each record is keyed per assignment ({@link SyncEvent#key()}:
 * {@code <tenant>:<user>:<role>:<source>:<groupId>}, groupId empty for the default and manual roles). A
 * revocation carries the role, source and group of the row it revokes, so it has its grant's key and
 * compaction keeps each assignment's last word: a reader that keeps the last record per key and counts
 * {@code granted} as present holds what {@code GET .../roles} answers.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long RELAY_LOCK = 0x726f6c652d6f7574L; // "role-out"
    private static final int CHUNK = 1000;

    private final Transactions transactions;
    private final KafkaProducer<String, SyncEvent> producer;
    /** Kafka's producer metrics (events/s per topic) in the service's registry. */
    private final AutoCloseable producerMeters;

    /** @param kafka kafka.* of the configuration: bootstrap servers, and security settings where the broker needs them */
    OutboxRelay(Transactions transactions, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            MeterRegistry registry) {
        this.transactions = transactions;
        Map<String, Object> config = new HashMap<>(kafka);
        config.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "role-mapper-outbox"));
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new SyncEventSerializer("urn:idsync:role-mapper"));
        this.producerMeters = KafkaClientMeters.bind(registry, producer);
    }

    @Scheduled(every = "${role-mapper.outbox.retry-every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        flushOrLeaveToSchedule();
    }

    /**
     * Publishes what is pending now if Kafka and the database let it; what they do not is published by
     * the schedule. For callers whose own change is already committed: the outbox holds its events, so
     * a failure here is no reason to fail (or, for a consumer, to stop) the caller.
     */
    public void flushOrLeaveToSchedule() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf("role-assignment events not published yet, retrying later: %s", e.getMessage());
        }
    }

    /** Publishes everything pending; returns how many events went out. */
    public synchronized int flush() {
        int total = 0;
        while (true) {
            int sent = transactions.inTransaction("outbox relay", c -> {
                try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                    lock.setLong(1, RELAY_LOCK);
                    try (ResultSet rs = lock.executeQuery()) {
                        if (!rs.next() || !rs.getBoolean(1)) {
                            return 0; // another instance is relaying; it publishes these too
                        }
                    }
                }
                List<SyncEvent> events = new ArrayList<>();
                List<String> traceparents = new ArrayList<>();
                List<Long> published = new ArrayList<>();
                try (PreparedStatement q = c.prepareStatement("""
                        select seq, granted, tenant_id, user_id, run_id, epoch, observed_at, role, source, group_id, access_level,
                               path, actor, trace_parent
                        from outbox order by seq limit ?""")) {
                    q.setInt(1, CHUNK);
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            published.add(rs.getLong(1));
                            traceparents.add(rs.getString(14));
                            java.sql.Array path = rs.getArray(12);
                            RoleAssignment data = new RoleAssignment(rs.getString(8),
                                    AssignmentSource.fromJson(rs.getString(9)).orElseThrow(), rs.getString(10), rs.getString(11),
                                    path == null ? null : List.of((String[]) path.getArray()), rs.getString(13));
                            events.add(rs.getBoolean(2)
                                    ? new RoleAssignmentGranted(rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                                            rs.getTimestamp(7).toInstant(), data)
                                    : new RoleAssignmentRevoked(rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                                            rs.getTimestamp(7).toInstant(), data));
                        }
                    }
                }
                if (events.isEmpty()) {
                    return 0;
                }
                publish(events, traceparents);
                // Exactly the rows published, never "seq <= the last one": under READ COMMITTED a writer that took
                // a lower seq but committed after the select above is not in this chunk, and a range delete would
                // remove its event unpublished. That row goes out with the next round instead, after rows with
                // higher seqs; order per key still holds, because two changes of one user serialize on the
                // user's lock (UserLocks) until commit, so the later one always has the higher seq.
                try (PreparedStatement delete = c.prepareStatement("delete from outbox where seq = any(?)")) {
                    delete.setArray(1, c.createArrayOf("bigint", published.toArray()));
                    delete.executeUpdate();
                }
                return events.size();
            });
            total += sent;
            if (sent < CHUNK) {
                return total;
            }
        }
    }

    /** Each record with the {@code traceparent} its row kept: the trace that changed the assignment. */
    private void publish(List<SyncEvent> events, List<String> traceparents) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            ProducerRecord<String, SyncEvent> record = SyncEventRecords.of(Topics.ROLE_ASSIGNMENTS, events.get(i));
            TraceHeaders.setTraceparent(traceparents.get(i), record.headers());
            acks.add(producer.send(record));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publishing role-assignment events failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing role-assignment events", e);
        }
    }

    @PreDestroy
    void close() {
        KafkaClientMeters.unbind(producerMeters);
        producer.close(Duration.ofSeconds(5));
    }
}
