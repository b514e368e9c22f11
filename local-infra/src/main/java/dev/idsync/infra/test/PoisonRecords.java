package dev.idsync.infra.test;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.events.kafka.SyncEventSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Poison records of each kind a consumer must set aside (issue: poison records never stop a consumer), as
 * raw records on the real broker, and a reader of the {@code <topic>.dlq} they must end up in. Each record
 * carries a {@link #MARKER} header with a value of the test's choosing; a dead letter keeps the original
 * headers, so the test finds its letter by it.
 */
public final class PoisonRecords {

    /** A header only tests set: which poison record a dead letter is. */
    public static final String MARKER = "test-poison-marker";

    private static final SyncEventSerializer SERIALIZER = new SyncEventSerializer("urn:idsync:test");

    private PoisonRecords() {
    }

    /** One of the poison makers below ({@code PoisonRecords::notJson}, ...), for tests that try each kind. */
    @FunctionalInterface
    public interface Maker {
        ProducerRecord<String, byte[]> make(String topic, String key, SyncEvent event, String marker);
    }

    /** A valid event, serialized as idsync does (binary-mode CloudEvent), with the marker. */
    public static ProducerRecord<String, byte[]> of(String topic, String key, SyncEvent event, String marker) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = SERIALIZER.serialize(topic, headers, event);
        headers.add(MARKER, utf8(marker));
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    /** The headers of {@code event} (a CloudEvent of a known type) but a value that is not JSON. */
    public static ProducerRecord<String, byte[]> notJson(String topic, String key, SyncEvent event, String marker) {
        ProducerRecord<String, byte[]> valid = of(topic, key, event, marker);
        return new ProducerRecord<>(topic, null, key, utf8("{not json " + marker), valid.headers());
    }

    /** {@code event}'s body under a {@code ce_type} no version of idsync knows. */
    public static ProducerRecord<String, byte[]> unknownType(String topic, String key, SyncEvent event, String marker) {
        ProducerRecord<String, byte[]> valid = of(topic, key, event, marker);
        valid.headers().remove("ce_type");
        valid.headers().add("ce_type", utf8("dev.idsync.user.frobnicated.v1"));
        return valid;
    }

    /**
     * {@code event} with a negative {@code epoch}: it still binds to its record, but its type's JSON Schema
     * says {@code minimum: 0}.
     */
    public static ProducerRecord<String, byte[]> schemaViolation(String topic, String key, SyncEvent event, String marker) {
        ProducerRecord<String, byte[]> valid = of(topic, key, event, marker);
        String body = new String(valid.value(), StandardCharsets.UTF_8);
        String violating = body.replaceFirst("\"epoch\":\\d+", "\"epoch\":-1");
        if (violating.equals(body)) {
            throw new IllegalArgumentException("no epoch in " + body);
        }
        return new ProducerRecord<>(topic, null, key, utf8(violating), valid.headers());
    }

    /** Sends the records in order (acks=all, one producer, so in order per partition) and waits for all acks. */
    public static void send(String bootstrapServers, List<ProducerRecord<String, byte[]>> records) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    /** The dead letter of {@code topic} carrying {@code marker}, read from {@code <topic>.dlq}; fails after {@code timeout}. */
    public static ConsumerRecord<String, byte[]> deadLetter(String bootstrapServers, String topic, String marker,
            Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
        List<String> seen = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.dlq(topic)));
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> letter : consumer.poll(Duration.ofMillis(200))) {
                    Optional<String> mark = header(letter, MARKER);
                    mark.ifPresent(seen::add);
                    if (mark.filter(marker::equals).isPresent()) {
                        return letter;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter marked " + marker + " on " + Topics.dlq(topic) + " within " + timeout
                + "; marked letters seen: " + seen);
    }

    /** A header's value as UTF-8 text, the last one if repeated. */
    public static Optional<String> header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
