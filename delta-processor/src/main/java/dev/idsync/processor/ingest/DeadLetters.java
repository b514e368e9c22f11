package dev.idsync.processor.ingest;

import dev.idsync.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Sends a record that cannot be read to {@code <topic>.dlq}: the original key, value and headers plus
 * an {@code error} header. Sent and acknowledged before the batch's offsets are committed, so a record
 * is never lost between the two.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    // Where SmallRye's deserializer wrapper keeps what it could not deserialize.
    private static final String[] ORIGINAL_VALUE_HEADERS = {"deserialization-failure-value-data", "deserialization-failure-data"};
    private static final String FAILURE_REASON = "deserialization-failure-reason";

    /** kafka.* of the configuration (bootstrap servers, and security settings where the broker needs them). */
    private final Map<String, Object> kafka;
    private final MeterRegistry registry;
    private volatile KafkaProducer<byte[], byte[]> producer;

    DeadLetters(@Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    static boolean failedToDeserialize(ConsumerRecord<String, ?> record) {
        return record.headers().lastHeader(FAILURE_REASON) != null;
    }

    void send(ConsumerRecord<String, ?> record) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = null;
        String reason = "unreadable record";
        for (Header header : record.headers()) {
            String key = header.key();
            if (key.equals(FAILURE_REASON) && header.value() != null) {
                reason = new String(header.value(), StandardCharsets.UTF_8);
            }
            if (value == null && (key.equals(ORIGINAL_VALUE_HEADERS[0]) || key.equals(ORIGINAL_VALUE_HEADERS[1]))) {
                value = header.value();
            }
            if (!key.startsWith("deserialization-failure")) {
                headers.add(header);
            }
        }
        headers.add("error", reason.getBytes(StandardCharsets.UTF_8));
        String dlq = Topics.dlq(record.topic());
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        try {
            producer().send(new ProducerRecord<>(dlq, null, key, value, headers)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not dead-letter " + record.topic() + "@" + record.offset(), e);
        }
        registry.counter("idsync.processor.dead.letters", "topic", record.topic()).increment();
        LOG.warnf("%s-%d@%d to %s: %s", record.topic(), record.partition(), record.offset(), dlq, reason);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    Map<String, Object> config = new HashMap<>(kafka);
                    config.putAll(Map.of(
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                            ProducerConfig.CLIENT_ID_CONFIG, "delta-processor-dlq"));
                    producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
                }
            }
        }
        return producer;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
