package dev.idsync.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Kafka's own client metrics for the clients idsync builds by hand (the poller's publisher, the outbox
 * relays, the dead-letter producer, consumers outside SmallRye), as Quarkus binds them for the SmallRye
 * channels' clients: {@code kafka_producer_topic_record_send_total{topic}} (events/s per topic),
 * {@code kafka_consumer_fetch_manager_records_lag{topic,partition}} (consumer lag) and the rest.
 *
 * <p>Why: without it the dashboard's events/s per topic would miss every record the poller and the
 * outboxes publish, and a hand-built consumer's lag would be invisible. Kafka registers per-topic
 * metrics only after the first record of a topic; they are picked up at the next refresh, every
 * {@value #REFRESH_SECONDS} s here (Micrometer's default is 60 s).
 */
public final class KafkaClientMeters {

    static final long REFRESH_SECONDS = 10;

    /** One daemon thread for every bound client's refresh: they are cheap and rare. */
    private static final ScheduledExecutorService REFRESH = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "idsync-kafka-client-meters");
        t.setDaemon(true);
        return t;
    });

    private KafkaClientMeters() {
    }

    /** Binds {@code producer}'s metrics to {@code registry}; close the result before the producer. */
    public static AutoCloseable bind(MeterRegistry registry, Producer<?, ?> producer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer, Tags.empty(), REFRESH, Duration.ofSeconds(REFRESH_SECONDS));
        metrics.bindTo(registry);
        return metrics::close;
    }

    /** Binds {@code consumer}'s metrics (lag included) to {@code registry}; close the result before the consumer. */
    public static AutoCloseable bind(MeterRegistry registry, Consumer<?, ?> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, Tags.empty(), REFRESH, Duration.ofSeconds(REFRESH_SECONDS));
        metrics.bindTo(registry);
        return metrics::close;
    }

    /** Closes a binding, ignoring what closing may throw (it only unregisters meters). */
    public static void unbind(AutoCloseable binding) {
        if (binding == null) {
            return;
        }
        try {
            binding.close();
        } catch (Exception e) {
            // the meters go with the registry anyway
        }
    }
}
