package dev.idsync.poller.publish;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.kafka.trace.TraceHeaders;
import dev.idsync.poller.config.PollerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a page's observations to {@link Topics#GRAPH_OBSERVATIONS}, keyed by the tenant (so one tenant's
 * observations, run markers included, stay in one partition in the order they were published). A dry run's
 * go to {@link Topics#DRY_RUN} instead, keyed by object.
 *
 * <p>{@link #publish} sends a page and returns at once with a future that completes when Kafka acknowledged
 * every event of it (acks=all, idempotent producer); the caller stores a checkpoint or token only after
 * that, so no change can be lost between Graph and Kafka (DESIGN.md invariant 2). Meanwhile it may send the
 * next pages: one producer, sent from one thread per round, keeps them in order in the partition, and the
 * idempotent producer keeps that order across retries. The producer batches (linger, large batches);
 * compression is configurable ({@code idsync.poller.producer.compression}, none by default).
 *
 * <p>A plain producer rather than a messaging channel: a page is a batch with one barrier at its end. So
 * it carries the trace context itself: every record names the current span (the page's, or the run's for
 * its markers) in {@code traceparent} ({@link TraceHeaders}), and the consumers continue that trace.
 */
@ApplicationScoped
public class ObservationPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(120);
    private final ScheduledExecutorService meterRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "graph-poller-producer-meters");
        t.setDaemon(true);
        return t;
    });

    private final KafkaProducer<String, SyncEvent> producer;
    /**
     * Kafka's producer metrics (kafka_producer_topic_record_send_total: the dashboard's events/s per topic),
     * as Quarkus binds them for SmallRye's clients; refreshed every 10 s so a new topic shows up soon.
     */
    private final KafkaClientMetrics producerMeters;

    /** @param kafka kafka.* of the configuration: bootstrap servers, and security settings where the broker needs them */
    ObservationPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka, PollerConfig poller,
            MeterRegistry registry) {
        Map<String, Object> config = new HashMap<>(kafka);
        PollerConfig.Producer p = poller.producer();
        config.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, (int) p.linger().toMillis(),
                ProducerConfig.BATCH_SIZE_CONFIG, p.batchSize(),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, p.compression(),
                ProducerConfig.BUFFER_MEMORY_CONFIG, p.bufferMemory(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis(),
                ProducerConfig.CLIENT_ID_CONFIG, "graph-poller-observations"));
        this.producer = new KafkaProducer<>(config, new StringSerializer(),
                new ObservationSerializer("urn:idsync:graph-poller"));
        this.producerMeters = new KafkaClientMetrics(producer, Tags.empty(), meterRefresh, Duration.ofSeconds(10));
        producerMeters.bindTo(registry);
    }

    /**
     * Sends the events in order to the observation topic, or to the dry-run topic.
     *
     * @return completes when Kafka acknowledged every one of them; fails with {@link PublishFailedException}
     *         as soon as one is not
     */
    public CompletableFuture<Void> publish(List<SyncEvent> events, boolean dryRun) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        AtomicInteger outstanding = new AtomicInteger(events.size());
        for (SyncEvent event : events) {
            try {
                ProducerRecord<String, SyncEvent> record = dryRun ? SyncEventRecords.of(Topics.DRY_RUN, event)
                        : SyncEventRecords.observation(event);
                TraceHeaders.injectCurrent(record.headers());
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        acknowledged.completeExceptionally(new PublishFailedException(
                                "Kafka did not acknowledge an event: " + error.getMessage(), error));
                    } else if (outstanding.decrementAndGet() == 0) {
                        acknowledged.complete(null);
                    }
                });
            } catch (RuntimeException e) {
                acknowledged.completeExceptionally(new PublishFailedException("could not send an event: "
                        + e.getMessage(), e));
                break;
            }
        }
        return acknowledged;
    }

    /**
     * Sends the events and waits for all acknowledgements.
     *
     * @throws PublishFailedException when any event was not acknowledged
     */
    public void publishAndAwait(List<SyncEvent> events, boolean dryRun) {
        CompletableFuture<Void> acknowledged = publish(events, dryRun);
        // A lone marker should not wait for the linger.
        producer.flush();
        await(acknowledged);
    }

    /** Waits for a page sent with {@link #publish}; its failure as {@link PublishFailedException}. */
    public static void await(CompletableFuture<Void> acknowledged) {
        try {
            acknowledged.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof PublishFailedException failed ? failed
                    : new PublishFailedException("Kafka did not acknowledge an event: " + e.getCause().getMessage(),
                            e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("Kafka did not acknowledge within " + ACK_TIMEOUT, e);
        }
    }

    @PreDestroy
    void close() {
        producerMeters.close();
        meterRefresh.shutdown();
        producer.close(Duration.ofSeconds(10));
    }

    public static final class PublishFailedException extends RuntimeException {
        PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
