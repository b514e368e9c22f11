package dev.idsync.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.infra.LocalKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a real broker: a consumer with idsync's static membership ({@link StaticMembership}) killed with
 * {@code kill -9} and started again under the same instance id consumes again within seconds, not after the
 * dead member's session timeout.
 */
class RestartedConsumerResumesInSecondsTest {

    private static final int PARTITIONS = 3;
    static LocalKafka kafka;

    @BeforeAll
    static void start() {
        kafka = LocalKafka.start(0);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void a_static_member_killed_and_restarted_with_the_same_instance_id_consumes_again_within_ten_seconds()
            throws Exception {
        String topic = "resume-" + UUID.randomUUID();
        kafka.createTopics(List.of(topic), PARTITIONS);
        Map<String, Object> config = StaticMembership.apply(KilledConsumers.base(kafka.bootstrapServers(), "g-" + topic),
                "delta-processor", "host-a", "directory", StaticMembership.DEFAULT_SESSION_TIMEOUT);

        Duration resumed = KilledConsumers.resumeAfterKill(kafka.bootstrapServers(), topic, PARTITIONS, config,
                new HashMap<>(config), Duration.ofSeconds(25));

        System.out.printf("static member restarted after kill -9: consuming again after %d ms%n", resumed.toMillis());
        assertThat(resumed).isLessThan(Duration.ofSeconds(10));
    }
}
