package dev.idsync.poller.publish;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.events.kafka.SyncEventSerializer;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a page's observations to {@link Topics#GRAPH_OBSERVATIONS}, keyed by the tenant (so one tenant's
 * observations, run markers included, stay in one partition in the order they were published), and returns
 * only when Kafka acknowledged every one of them (acks=all, idempotent producer): the caller stores a
 * checkpoint or token only after this returns, so no change can be lost between Graph and Kafka (DESIGN.md
 * invariant 2). A dry run's go to {@link Topics#DRY_RUN} instead, keyed by object.
 *
 * <p>A plain producer rather than a messaging channel: a page is a batch with one barrier at its end, and
 * the producer's own batching (linger) sends it in a few requests.
 */
@ApplicationScoped
public class ObservationPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(120);

    private final KafkaProducer<String, SyncEvent> producer;

    /** @param kafka kafka.* of the configuration: bootstrap servers, and security settings where the broker needs them */
    ObservationPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis(),
                ProducerConfig.CLIENT_ID_CONFIG, "graph-poller-observations",
                SyncEventSerializer.SOURCE_CONFIG, "urn:idsync:graph-poller"));
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new SyncEventSerializer());
    }

    /**
     * Sends the events in order to the observation topic, or to the dry-run topic, and waits for all
     * acknowledgements.
     *
     * @throws PublishFailedException when any event was not acknowledged
     */
    public void publishAndAwait(List<SyncEvent> events, boolean dryRun) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (SyncEvent event : events) {
            acks.add(producer.send(dryRun ? SyncEventRecords.of(Topics.DRY_RUN, event)
                    : SyncEventRecords.observation(event)));
        }
        producer.flush();
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishFailedException("interrupted while waiting for Kafka", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new PublishFailedException("Kafka did not acknowledge an event: " + e.getMessage(), e);
            }
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(10));
    }

    public static final class PublishFailedException extends RuntimeException {
        PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
