package dev.idsync.kafka;

import dev.idsync.events.Topics;
import dev.idsync.kafka.trace.TraceHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sets a poison record aside: sends it to {@code <topic>.dlq} ({@link Topics#dlq}) with its original key,
 * value and headers plus {@link DeadLetterHeaders} (reason, detail, where it was read, which consumer group
 * refused it), counts it in {@code idsync_dead_letters_total{topic,reason}} and logs a WARN line naming
 * topic, partition, offset and reason. The send is acknowledged (acks=all) before this returns, so before
 * the consumer commits the batch's offsets: a record is never lost between the two. A crash in between
 * dead-letters it again on the next delivery (at-least-once, like everything else). The dead letter carries
 * the current trace context (the consumer's batch span) in {@code traceparent} ({@link TraceHeaders}).
 */
@ApplicationScoped
public class DeadLetters {

    /** The counter's name; Prometheus shows it as {@code idsync_dead_letters_total}. */
    public static final String METRIC = "idsync.dead.letters";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    /** kafka.* of the configuration (bootstrap servers, and security settings where the broker needs them). */
    private final Map<String, Object> kafka;
    private final MeterRegistry registry;
    private final String service;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile AutoCloseable producerMeters;

    DeadLetters(@Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "idsync") String service) {
        this.kafka = kafka;
        this.registry = registry;
        this.service = service;
    }

    /** One record to set aside: the record as read, why, and the consumer group that read it. */
    public record Letter(ConsumerRecord<String, byte[]> record, Poison poison, String group) {
    }

    /** Sends {@code record} to its topic's {@code .dlq}; {@code group} is the consumer group that read it. */
    public void send(ConsumerRecord<String, byte[]> record, Poison poison, String group) {
        send(List.of(new Letter(record, poison, group)));
    }

    /**
     * Sends the letters (in order, one producer) and returns once Kafka acknowledged every one: a batch with
     * many poison records costs one round trip, not one per record. While the broker cannot take them (it
     * is restarting: the producer gave up after {@code delivery.timeout.ms}), the unacknowledged ones are
     * sent again, with a WARN each time, rather than failing the batch, which would stop the channel; the
     * batch's offsets stay uncommitted meanwhile. A failure that waiting cannot cure (not authorized to
     * write the {@code .dlq}, a record too large) is thrown: a misconfiguration the channel's health shows.
     */
    public void send(List<Letter> letters) {
        List<Letter> pending = letters;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(pending.size());
            for (Letter letter : pending) {
                acks.add(producer().send(deadLetter(letter)));
            }
            List<Letter> unacknowledged = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                Letter letter = pending.get(i);
                try {
                    acks.get(i).get();
                    sent(letter);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while dead-lettering", e);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException)) {
                        throw new IllegalStateException("could not dead-letter " + position(letter.record()) + " to "
                                + Topics.dlq(letter.record().topic()), e.getCause());
                    }
                    unacknowledged.add(letter);
                }
            }
            if (!unacknowledged.isEmpty()) {
                Duration wait = Duration.ofSeconds(Math.min(attempt, 10));
                LOG.warnf("%d dead letters not acknowledged (attempt %d); again in %d s", unacknowledged.size(),
                        attempt, wait.toSeconds());
                sleep(wait);
            }
            pending = unacknowledged;
        }
    }

    private void sent(Letter letter) {
        ConsumerRecord<String, byte[]> record = letter.record();
        Counter.builder(METRIC).description("records set aside to <topic>.dlq (poison: unreadable, unknown, refused)")
                .tag("topic", record.topic()).tag("reason", letter.poison().reason().code())
                .register(registry).increment();
        try (RecordMdc mdc = RecordMdc.of(record)) {
            LOG.warnf("dead letter: %s (group %s) to %s, reason %s: %s", position(record), letter.group(),
                    Topics.dlq(record.topic()), letter.poison().reason().code(), letter.poison().detail());
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to dead-letter again", e);
        }
    }

    /** How many records of {@code topic} went to its {@code .dlq} for {@code reason} (0 before the first). */
    public static double count(MeterRegistry registry, String topic, PoisonReason reason) {
        Counter counter = registry.find(METRIC).tags("topic", topic, "reason", reason.code()).counter();
        return counter == null ? 0 : counter.count();
    }

    private static ProducerRecord<byte[], byte[]> deadLetter(Letter letter) {
        ConsumerRecord<String, byte[]> record = letter.record();
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(DeadLetterHeaders.REASON, utf8(letter.poison().reason().code()))
                .add(DeadLetterHeaders.ERROR, utf8(letter.poison().detail()))
                .add(DeadLetterHeaders.TOPIC, utf8(record.topic()))
                .add(DeadLetterHeaders.PARTITION, utf8(Integer.toString(record.partition())))
                .add(DeadLetterHeaders.OFFSET, utf8(Long.toString(record.offset())))
                .add(DeadLetterHeaders.CONSUMER_GROUP, utf8(letter.group()));
        // The dead letter continues the trace of the batch that refused it (its consumer span); without a
        // span (tracing off) the original record's traceparent stays, copied above.
        TraceHeaders.injectCurrent(headers);
        byte[] key = record.key() == null ? null : utf8(record.key());
        return new ProducerRecord<>(Topics.dlq(record.topic()), null, key, record.value(), headers);
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return "topic " + record.topic() + " partition " + record.partition() + " offset " + record.offset();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    Map<String, Object> config = new HashMap<>(kafka);
                    config.putAll(Map.of(
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                            ProducerConfig.CLIENT_ID_CONFIG, service + "-dlq"));
                    KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
                    producerMeters = KafkaClientMeters.bind(registry, created);
                    producer = created;
                }
            }
        }
        return producer;
    }

    @PreDestroy
    void close() {
        KafkaClientMeters.unbind(producerMeters);
        if (producer != null) {
            producer.close();
        }
    }
}
