package dev.idsync.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PoisonRecords;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.kafka.DeadLetterHeaders;
import dev.idsync.kafka.DeadLetters;
import dev.idsync.kafka.PoisonReason;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A poison record of each kind on the observation topic, followed by good ones: the poison goes to
 * {@code idsync.graph.observations.v1.dlq} with its reason, is counted, and the good ones are applied.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class PoisonRecordsTest {

    private static final String TENANT = "poisoned"; // idsync-test.yaml
    private static final String TOPIC = Topics.GRAPH_OBSERVATIONS;
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry registry;

    private StoreProbe store;
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void probe() {
        store = new StoreProbe(dataSource, TENANT);
    }

    @Test
    void a_record_that_is_not_json_goes_to_the_dead_letter_topic_and_the_next_is_applied() throws Exception {
        poisonThenGood("not-json", PoisonRecords::notJson, user("bad", "x"));
    }

    @Test
    void an_event_of_an_unknown_type_goes_to_the_dead_letter_topic_and_the_next_is_applied() throws Exception {
        poisonThenGood("unknown-type", PoisonRecords::unknownType, user("bad", "x"));
    }

    @Test
    void an_event_that_violates_its_json_schema_goes_to_the_dead_letter_topic_and_the_next_is_applied() throws Exception {
        poisonThenGood("schema-violation", PoisonRecords::schemaViolation, user("bad", "x"));
    }

    @Test
    void an_event_of_a_tenant_not_in_idsync_yaml_goes_to_the_dead_letter_topic_and_the_next_is_applied() throws Exception {
        UserUpserted stranger = new UserUpserted("not-configured", id + "-stranger", "run-" + id, 1, T0,
                Map.of("displayName", "Stranger"));
        poisonThenGood("unknown-tenant", PoisonRecords::of, stranger);
    }

    @Test
    void a_record_the_database_refuses_goes_to_the_dead_letter_topic_and_the_rest_of_its_batch_is_applied()
            throws Exception {
        // PostgreSQL's jsonb has no NUL character (22P05): the database refuses this user for good.
        String marker = "refused-" + id;
        double before = count("refused-by-database");
        List<ProducerRecord<String, byte[]>> batch = List.of(
                PoisonRecords.of(TOPIC, TENANT, user("before", "Before"), "good-" + id),
                PoisonRecords.of(TOPIC, TENANT, user("refused", "nul\u0000byte"), marker),
                PoisonRecords.of(TOPIC, TENANT, user("after", "After"), "good2-" + id));
        PoisonRecords.send(bootstrapServers, batch);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object(u("before"))).containsEntry("displayName", "Before");
            assertThat(store.object(u("after"))).containsEntry("displayName", "After");
        });
        ConsumerRecord<String, byte[]> letter = PoisonRecords.deadLetter(bootstrapServers, TOPIC, marker, WAIT);
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.REASON)).contains("refused-by-database");
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.ERROR)).hasValueSatisfying(e -> assertThat(e).startsWith("22"));
        assertThat(store.object(u("refused"))).isNull();
        await().atMost(WAIT).until(() -> count("refused-by-database") >= before + 1);
    }

    private void poisonThenGood(String reason, PoisonRecords.Maker maker, SyncEvent poisonEvent) throws Exception {
        String marker = reason + "-" + id;
        double before = count(reason);
        PoisonRecords.send(bootstrapServers, List.of(
                maker.make(TOPIC, TENANT, poisonEvent, marker),
                PoisonRecords.of(TOPIC, TENANT, user("good", "Applied after " + reason), "good-" + id)));

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(store.object(u("good"))).containsEntry("displayName", "Applied after " + reason));
        ConsumerRecord<String, byte[]> letter = PoisonRecords.deadLetter(bootstrapServers, TOPIC, marker, WAIT);
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.REASON)).contains(reason);
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.TOPIC)).contains(TOPIC);
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.PARTITION)).isPresent();
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.OFFSET)).isPresent();
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.CONSUMER_GROUP)).contains("delta-processor");
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.ERROR)).isPresent();
        assertThat(PoisonRecords.header(letter, "ce_id")).as("original headers kept").isPresent();
        assertThat(letter.key()).isEqualTo(TENANT);
        await().atMost(WAIT).until(() -> count(reason) >= before + 1);
        assertThat(store.object(u("bad"))).isNull();
    }

    private double count(String reason) {
        return DeadLetters.count(registry, TOPIC, PoisonReason.ofCode(reason));
    }

    private String u(String name) {
        return id + "-" + name;
    }

    private UserUpserted user(String name, String displayName) {
        return new UserUpserted(TENANT, u(name), "run-" + id, 1, T0, Map.of("displayName", displayName));
    }
}
