package dev.idsync.bench;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserUpserted;
import dev.idsync.events.kafka.SyncEventDeserializer;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.events.kafka.SyncEventSerializer;
import dev.idsync.infra.LocalKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How fast idsync's event format moves through a real broker: N realistic {@code user.upserted}
 * CloudEvents produced with the poller's settings (acks=all, idempotent), then consumed back with
 * read_committed through {@link SyncEventDeserializer}. This bounds what any service can do per core
 * before it touches its database.
 *
 * <pre>
 * java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' dev.idsync.bench.EventWireBench [events] [--bootstrap host:port]
 * </pre>
 * Without {@code --bootstrap} it starts its own {@link LocalKafka} and stops it afterwards.
 */
public final class EventWireBench {

    private EventWireBench() {
    }

    public static void main(String[] args) throws Exception {
        int events = 200_000;
        String bootstrap = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--bootstrap")) {
                bootstrap = args[++i];
            } else {
                events = Integer.parseInt(args[i]);
            }
        }
        LocalKafka kafka = null;
        if (bootstrap == null) {
            kafka = LocalKafka.start(0);
            System.out.printf("broker started in %d ms%n", kafka.startupTime().toMillis());
            bootstrap = kafka.bootstrapServers();
        }
        try {
            String topic = "bench.users." + UUID.randomUUID();
            if (kafka != null) {
                kafka.createTopics(List.of(topic), 3);
            }
            run(bootstrap, topic, events);
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private static void run(String bootstrap, String topic, int events) {
        String tenant = "bench-" + UUID.randomUUID();
        Instant observedAt = Instant.now();
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                SyncEventSerializer.SOURCE_CONFIG, "urn:idsync:bench");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long t0 = System.nanoTime();
        try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new SyncEventSerializer())) {
            for (int i = 0; i < events; i++) {
                SyncEvent event = new UserUpserted(tenant, "user-" + i, "run-bench", 1, observedAt, user(i));
                producer.send(SyncEventRecords.of(topic, event), (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a send failed", failure.get());
        }
        double produceSeconds = (System.nanoTime() - t0) / 1e9;

        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        long t1 = System.nanoTime();
        int read = 0;
        try (var consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new SyncEventDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plusSeconds(120);
            while (read < events && Instant.now().isBefore(deadline)) {
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
        }
        double consumeSeconds = (System.nanoTime() - t1) / 1e9;
        if (read < events) {
            throw new IllegalStateException("read back only " + read + " of " + events + " events");
        }
        System.out.printf("produced %d user.upserted events in %.2f s: %.0f events/s (acks=all, idempotent, lz4)%n",
                events, produceSeconds, events / produceSeconds);
        System.out.printf("consumed %d events in %.2f s: %.0f events/s (read_committed, SyncEventDeserializer)%n",
                read, consumeSeconds, read / consumeSeconds);
        System.out.println("(one cold run: the numbers include JVM and broker warm-up)");
    }

    /** About the attributes the poller selects for a user (seed 000's field list). */
    private static Map<String, Object> user(int i) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("displayName", "Bench User " + i);
        data.put("givenName", "Bench");
        data.put("surname", "User " + i);
        data.put("userPrincipalName", "bench.user" + i + "@contoso.example");
        data.put("mail", "bench.user" + i + "@contoso.example");
        data.put("jobTitle", "Engineer");
        data.put("department", "Department " + (i % 40));
        data.put("companyName", "Contoso " + (i % 5));
        data.put("officeLocation", "Building " + (i % 12));
        data.put("businessPhones", List.of("+49 30 " + (1_000_000 + i)));
        data.put("city", "Berlin");
        data.put("country", "DE");
        data.put("accountEnabled", i % 50 != 0);
        return data;
    }
}
