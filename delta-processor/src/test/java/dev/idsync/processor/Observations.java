package dev.idsync.processor;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.events.kafka.SyncEventSerializer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts observations on the real {@code idsync.graph.observations.v1} the way graph-poller and profile-writer
 * do: keyed by tenant ({@link SyncEventRecords#observation}), so a tenant's observations and run markers
 * stay in one partition in the order given.
 */
final class Observations {

    private Observations() {
    }

    static void publish(String bootstrapServers, SyncEvent... events) {
        publish(bootstrapServers, List.of(events));
    }

    /** Publishes the events in order (acks=all) and waits until the broker has them all. */
    static void publish(String bootstrapServers, Collection<? extends SyncEvent> events) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // Kafka's JmxReporter, loaded by name inside a @QuarkusTest, sometimes meets another class loader.
                CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new SyncEventSerializer("urn:idsync:test"))) {
            for (SyncEvent event : events) {
                producer.send(SyncEventRecords.observation(event));
            }
            producer.flush();
        }
    }
}
