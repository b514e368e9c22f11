package dev.idsync.infra.test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real Kafka broker for {@code @QuarkusTest}s, with every idsync topic and its DLQ (3 partitions each).
 * One broker per test JVM, shared by all test classes and Quarkus restarts; it is stopped by a JVM
 * shutdown hook, so {@link #stop()} leaves it running.
 *
 * <pre>
 * &#64;WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
 * </pre>
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    /** Returns {@code kafka.bootstrap.servers}. */
    @Override
    public Map<String, String> start() {
        return SharedInfraBridge.kafkaConfig();
    }

    @Override
    public void stop() {
        // The broker outlives this application: the next test class (or restart) uses it again.
    }
}
