package dev.idsync.processor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.idsync.api.Roles;
import dev.idsync.events.DeletionDecision;
import dev.idsync.events.DeletionsDecided;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The outbox holds what was decided while Kafka is away, and the relay publishes it once Kafka is back
 * (docs/DESIGN.md invariant 11): an admin approves held deletions while the shared test broker is stopped
 * in place (same port, same data), the store changes at once, the events follow the broker's return.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class OutboxOutlivesABrokerOutageTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TENANT = "outage"; // the default threshold: 500 objects or 10 %

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;

    @Inject
    AgroalDataSource dataSource;

    private static List<DeletionsDecided> decisions(List<SyncEvent> events) {
        return events.stream().filter(e -> e instanceof DeletionsDecided).map(DeletionsDecided.class::cast).toList();
    }

    @Test
    void events_decided_while_kafka_is_away_are_published_once_it_is_back() throws Exception {
        StoreProbe store = new StoreProbe(dataSource, TENANT);
        List<SyncEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(new UserUpserted(TENANT, "o" + i, "f", 1, T0, Map.of("displayName", "O" + i)));
        }
        events.add(store.started("away", SyncMode.DELTA, 1, T0.plusSeconds(1)));
        for (int i = 0; i < 3; i++) {
            events.add(UserRemoved.of(TENANT, "o" + i, "away", 1, T0.plusSeconds(2), RemovalReason.HARD_DELETED));
        }
        events.add(store.completed("away", SyncMode.DELTA, 1, T0.plusSeconds(3)));
        Observations.publish(bootstrapServers, events);

        try (PublicTopics topics = new PublicTopics(bootstrapServers, TENANT)) {
            topics.awaitEvents(WAIT, e -> decisions(e).size() == 1); // held, and the outbox is empty again
            String admin = TestTokens.bearer(emulator, Roles.ADMIN);

            BrokerInPlace.stop();
            try {
                given().header("Authorization", admin).when().post("/api/tenants/outage/pending-deletions/approve")
                        .then().statusCode(200).body("applied", equalTo(3));
                assertThat(store.object("o0")).containsEntry("state", "pendingHardDeletion");
                // three removals and the approval, committed with the store and not publishable now
                assertThat(store.outboxRowsMentioning("\"tenantId\":\"outage\"")).isEqualTo(4);
                Thread.sleep(3_000); // scheduled relays fail meanwhile; the rows stay
                assertThat(store.outboxRowsMentioning("\"tenantId\":\"outage\"")).isEqualTo(4);
            } finally {
                BrokerInPlace.start();
            }

            List<SyncEvent> published = topics.awaitEvents(WAIT, e -> decisions(e).size() == 2
                    && e.stream().filter(r -> r instanceof UserRemoved).count() == 3);
            assertThat(decisions(published).getLast().data().decision()).isEqualTo(DeletionDecision.Decision.APPROVED);
            assertThat(published).filteredOn(e -> e instanceof UserRemoved).extracting(SyncEvent::objectId)
                    .containsExactlyInAnyOrder("o0", "o1", "o2");
            await().atMost(WAIT).until(() -> store.outboxRowsMentioning("\"tenantId\":\"outage\"") == 0);
        }
    }

    /**
     * Stops and starts the shared test broker in place. {@code SharedInfra} is called as the system class
     * loader has it (as local-infra's bridge does): that copy holds the one broker of this JVM, the copy in
     * this application's class loader would start another.
     */
    private static final class BrokerInPlace {

        static void stop() throws Exception {
            call("stopKafkaServer");
        }

        static void start() throws Exception {
            call("startKafkaServer");
        }

        private static void call(String method) throws Exception {
            Class<?> shared = Class.forName("dev.idsync.infra.test.SharedInfra", true, ClassLoader.getSystemClassLoader());
            shared.getMethod(method).invoke(null);
        }
    }
}
