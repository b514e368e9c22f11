package dev.idsync.kafka;

import dev.idsync.infra.LocalKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.junit.jupiter.api.Test;

/**
 * Not part of the suite (no {@code *Test} name; it waits out session timeouts): the time until a consumer
 * killed with {@code kill -9} is replaced, for each way a group can be run. Run:
 * {@code ./mvnw -B -o test -pl kafka-support -Dtest=RestartResumeMeasurement -Dsurefire.failIfNoSpecifiedTests=false}
 */
class RestartResumeMeasurement {

    private static final int PARTITIONS = 3;

    @Test
    void measure() throws Exception {
        try (LocalKafka kafka = LocalKafka.start(0)) {
            String bootstrap = kafka.bootstrapServers();
            report(kafka, "classic, dynamic member (before)", c -> { });
            report(kafka, "classic, static member, same instance id (after)", c ->
                    StaticMembership.apply(c, "svc", "host-a", "ch", StaticMembership.DEFAULT_SESSION_TIMEOUT));
            report(kafka, "classic, static member, restarted under another instance id", null);
            report(kafka, "KIP-848 group.protocol=consumer, dynamic member", c -> c.put("group.protocol", "consumer"));
            report(kafka, "KIP-848 group.protocol=consumer, static member, same instance id", c -> {
                c.put("group.protocol", "consumer");
                c.put("group.instance.id", "svc-host-a-ch");
            });
            System.out.println("broker " + bootstrap + " done");
        }
    }

    private static void report(LocalKafka kafka, String what, java.util.function.Consumer<Map<String, Object>> setup)
            throws Exception {
        String topic = "measure-" + UUID.randomUUID();
        kafka.createTopics(List.of(topic), PARTITIONS);
        Map<String, Object> killed = KilledConsumers.base(kafka.bootstrapServers(), "g-" + topic);
        Map<String, Object> restarted;
        if (setup == null) { // a replacement with another name: the dead static member holds its partitions
            StaticMembership.apply(killed, "svc", "host-a", "ch", StaticMembership.DEFAULT_SESSION_TIMEOUT);
            restarted = new HashMap<>(killed);
            restarted.put("group.instance.id", "svc-host-b-ch");
        } else {
            setup.accept(killed);
            restarted = new HashMap<>(killed);
        }
        try {
            Duration resumed = KilledConsumers.resumeAfterKill(kafka.bootstrapServers(), topic, PARTITIONS, killed,
                    restarted, Duration.ofMinutes(2));
            System.out.printf("MEASURED %-65s consuming again after %6d ms%n", what, resumed.toMillis());
        } catch (UnreleasedInstanceIdException refused) {
            // KIP-848: the dead member still owns the instance id until its session expires; the new one fails.
            System.out.printf("MEASURED %-65s cannot join: %s%n", what, refused.getMessage());
        }
    }
}
