package dev.idsync.kafka;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The scenario of a consumer killed with {@code kill -9} and started again: how long until the new one
 * consumes again. The killed one runs in a child JVM ({@link ChildConsumer}), so it really dies without a
 * word to the broker.
 */
final class KilledConsumers {

    private KilledConsumers() {
    }

    /** The consumer settings every idsync consumer has (SmallRye's and application.properties'). */
    static Map<String, Object> base(String bootstrap, String group) {
        Map<String, Object> config = new java.util.HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    /**
     * Starts {@code killed} in a child JVM until it holds every partition, kills it (SIGKILL), then starts a
     * consumer with {@code restarted} in this JVM, publishes one record per partition and returns how long
     * after its start it had consumed them all.
     */
    static Duration resumeAfterKill(String bootstrap, String topic, int partitions, Map<String, Object> killed,
            Map<String, Object> restarted, Duration patience) throws Exception {
        Process child = start(topic, killed);
        try {
            awaitAssigned(child, partitions, Duration.ofSeconds(60));
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        String tag = UUID.randomUUID().toString();
        Instant start = Instant.now();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(restarted, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            publish(bootstrap, topic, partitions, tag);
            Set<Integer> seen = new HashSet<>();
            while (seen.size() < partitions) {
                if (Duration.between(start, Instant.now()).compareTo(patience) > 0) {
                    throw new AssertionError("the restarted consumer consumed from " + seen + " of " + partitions
                            + " partitions within " + patience);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (tag.equals(r.value())) {
                        seen.add(r.partition());
                    }
                });
            }
            return Duration.between(start, Instant.now());
        }
    }

    private static Process start(String topic, Map<String, Object> config) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), ChildConsumer.class.getName(), topic));
        config.forEach((k, v) -> command.add(k + "=" + v));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static void awaitAssigned(Process child, int partitions, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            String line = out.readLine();
            if (line == null) {
                throw new AssertionError("the child consumer exited: " + lines);
            }
            lines.add(line);
            if (line.equals("ASSIGNED " + partitions)) {
                return;
            }
        }
        throw new AssertionError("the child consumer did not get " + partitions + " partitions: " + lines);
    }

    private static void publish(String bootstrap, String topic, int partitions, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int p = 0; p < partitions; p++) {
                producer.send(new ProducerRecord<>(topic, p, "k", value));
            }
            producer.flush();
        }
    }
}
