package dev.idsync.processor.outbox;

import dev.idsync.events.CeIds;
import dev.idsync.events.EventJson;
import dev.idsync.events.EventType;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.events.kafka.SyncEventSerializer;
import dev.idsync.kafka.trace.TraceHeaders;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import dev.idsync.kafka.KafkaClientMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes {@code directory.outbox} to the public topics (directory topics, and the gate's decisions on
 * {@code idsync.sync.runs.v1}) in {@code seq} order, and deletes exactly the rows Kafka acknowledged
 * (acks=all, idempotent producer) that no unacknowledged row of the same key precedes. Why not {@code seq <= last}: a writer that took a lower seq may commit
 * after a higher one was published; its row must stay until it is published itself.
 *
 * <p>One relay at a time across all instances ({@code pg_try_advisory_xact_lock}), so events of one key
 * never overtake each other: a key's events are written by transactions that serialise on its row (or on
 * the tenant's gate lock), so their seqs follow their commit order. Runs on its own thread: right after
 * each committed batch or decision ({@link #requestFlush()}) and every {@code idsync.processor.outbox.relay-every}
 * in case a publish failed. A crash between the broker's ack and the delete publishes those events again
 * with the same {@code ce_id} (same body): subscribers are idempotent (docs/DESIGN.md invariant 3).
 *
 * <p>Each record carries the {@code traceparent} its row kept ({@link OutboxWriter}): the trace of the batch
 * or request that decided it, not the relay's.
 */
@ApplicationScoped
@Startup
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long RELAY_LOCK = 0x6469722d6f757462L; // "dir-outb"; role-mapper's relay has its own
    private static final int CHUNK = 2000;

    private final AgroalDataSource dataSource;
    private final KafkaProducer<String, SyncEvent> producer;
    /** Kafka's producer metrics (events/s per topic) in the service's registry. */
    private final AutoCloseable producerMeters;
    private final Duration every;
    private final Counter published;
    private final ScheduledExecutorService relayThread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "directory-outbox-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean failing;

    /** @param kafka kafka.* of the configuration: bootstrap servers, and security settings where the broker needs them */
    OutboxRelay(AgroalDataSource dataSource, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "idsync.processor.outbox.relay-every", defaultValue = "1s") Duration every,
            MeterRegistry registry) {
        this.dataSource = dataSource;
        this.every = every;
        Map<String, Object> config = new HashMap<>(kafka);
        config.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                // A broker that is away fails an attempt within seconds; the outbox keeps the events and
                // the next attempt publishes them, so a long wait inside one attempt buys nothing.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.CLIENT_ID_CONFIG, "delta-processor-outbox"));
        this.producer = new KafkaProducer<>(config, new StringSerializer(),
                new SyncEventSerializer("urn:idsync:delta-processor", CeIds.DECIDED));
        this.producerMeters = KafkaClientMeters.bind(registry, producer);
        this.published = Counter.builder("idsync.processor.outbox.published")
                .description("decided events published from the outbox and acknowledged by Kafka").register(registry);
    }

    @PostConstruct
    void start() {
        relayThread.scheduleWithFixedDelay(this::flushOrLeaveToSchedule, every.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Asks the relay thread to publish what is pending, without waiting: for callers whose change just
     * committed. Requests arriving while one is queued are one request.
     */
    public void requestFlush() {
        if (requested.compareAndSet(false, true)) {
            try {
                relayThread.execute(() -> {
                    requested.set(false);
                    flushOrLeaveToSchedule();
                });
            } catch (RejectedExecutionException shuttingDown) {
                requested.set(false); // the next start publishes it
            }
        }
    }

    private void flushOrLeaveToSchedule() {
        try {
            flush();
            if (failing) {
                failing = false;
                LOG.info("directory events are being published again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf("directory events not published yet, retrying every %s: %s", every, e.getMessage());
            }
            failing = true;
        }
    }

    /** Publishes everything pending; returns how many events went out. */
    public synchronized int flush() {
        int total = 0;
        while (true) {
            Chunk chunk = relayChunk();
            total += chunk.published();
            if (chunk.failure() != null) {
                throw chunk.failure();
            }
            if (chunk.read() < CHUNK) {
                return total;
            }
        }
    }

    private record Chunk(int read, int published, RuntimeException failure) {
    }

    private Chunk relayChunk() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Chunk chunk = relayChunk(c);
                c.commit();
                return chunk;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("outbox relay: " + e.getMessage(), e);
        }
    }

    private Chunk relayChunk(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return new Chunk(0, 0, null); // another instance is relaying; it publishes these too
                }
            }
        }
        List<Long> seqs = new ArrayList<>();
        List<SyncEvent> events = new ArrayList<>();
        List<String> traceparents = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(
                "select seq, event_type, body, trace_parent from outbox order by seq limit ?")) {
            q.setInt(1, CHUNK);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                    EventType type = EventType.fromType(rs.getString(2)).orElseThrow(() -> new IllegalStateException(
                            "outbox row of a type this version cannot publish (a newer instance wrote it)"));
                    events.add(EventJson.read(type, rs.getString(3).getBytes(StandardCharsets.UTF_8)));
                    traceparents.add(rs.getString(4));
                }
            }
        }
        if (events.isEmpty()) {
            return new Chunk(0, 0, null);
        }
        Published result = publish(events, traceparents);
        if (!result.acknowledged().isEmpty()) {
            try (PreparedStatement delete = c.prepareStatement("delete from outbox where seq = any(?)")) {
                delete.setArray(1, c.createArrayOf("bigint",
                        result.acknowledged().stream().map(seqs::get).toArray(Long[]::new)));
                delete.executeUpdate();
            }
            published.increment(result.acknowledged().size());
        }
        return new Chunk(events.size(), result.acknowledged().size(), result.failure());
    }

    /**
     * Which events (by index) Kafka acknowledged and may be deleted, and why another was not. An acknowledged
     * event stays when an earlier event of the same topic and key was not acknowledged: deleting it would
     * publish the earlier one after it on the next attempt. Events of other keys go: after a broker restart
     * one topic's metadata may come back before another's, and repeating what was delivered would be a
     * duplicate for every subscriber.
     */
    private record Published(List<Integer> acknowledged, RuntimeException failure) {
    }

    private Published publish(List<SyncEvent> events, List<String> traceparents) {
        List<ProducerRecord<String, SyncEvent>> records = new ArrayList<>(events.size());
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        RuntimeException failure = null;
        try {
            for (int i = 0; i < events.size(); i++) {
                ProducerRecord<String, SyncEvent> record = SyncEventRecords.of(events.get(i));
                TraceHeaders.setTraceparent(traceparents.get(i), record.headers());
                records.add(record);
                acks.add(producer.send(record));
            }
        } catch (RuntimeException e) { // e.g. no metadata within max.block.ms: the broker is away
            failure = e;
        }
        producer.flush();
        List<Integer> acknowledged = new ArrayList<>(acks.size());
        Set<String> unacknowledgedKeys = new HashSet<>();
        for (int i = 0; i < acks.size(); i++) {
            String key = records.get(i).topic() + '\u0000' + records.get(i).key();
            try {
                acks.get(i).get();
                if (!unacknowledgedKeys.contains(key)) {
                    acknowledged.add(i);
                }
            } catch (ExecutionException e) {
                unacknowledgedKeys.add(key);
                if (failure == null) {
                    failure = new IllegalStateException("publishing " + events.get(i).ceType() + " failed: "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Published(acknowledged, new IllegalStateException(
                        "interrupted while publishing directory events", e));
            }
        }
        return new Published(acknowledged, failure);
    }

    @PreDestroy
    void close() {
        relayThread.shutdown();
        try {
            if (!relayThread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("outbox relay still busy at shutdown; what it did not delete is published after the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        KafkaClientMeters.unbind(producerMeters);
        producer.close(Duration.ofSeconds(5));
    }
}
