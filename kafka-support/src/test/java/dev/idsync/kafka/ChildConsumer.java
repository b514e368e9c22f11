package dev.idsync.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer in a JVM of its own, to be killed with {@code kill -9} (no close, no LeaveGroup, its heartbeat
 * thread dies with it): args are the topic and the consumer's configuration as {@code key=value} pairs.
 * Prints {@code ASSIGNED <n>} once it holds {@code n} partitions, then polls until it is killed.
 */
public final class ChildConsumer {

    private ChildConsumer() {
    }

    public static void main(String[] args) {
        Map<String, Object> config = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            config.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(args[0]));
        int reported = -1;
        while (true) {
            consumer.poll(Duration.ofMillis(100));
            int assigned = consumer.assignment().size();
            if (assigned != reported) {
                System.out.println("ASSIGNED " + assigned);
                System.out.flush();
                reported = assigned;
            }
        }
    }
}
