package dev.idsync.poller;

import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.poller.support.PollerTestSupport;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;

/**
 * The poller's test set-up: a real broker, a real PostgreSQL and the emulator over HTTP, shared by every test
 * class of the JVM (so test classes never differ in resources and Quarkus starts once).
 */
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
public abstract class PollerQuarkusTest {

    protected final PollerTestSupport support = new PollerTestSupport(
            ConfigProvider.getConfig().getValue(EmulatorConfig.URL, String.class),
            ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));

    @AfterEach
    void removeFaults() {
        support.clearFaults();
    }
}
