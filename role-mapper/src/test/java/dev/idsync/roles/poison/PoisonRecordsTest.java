package dev.idsync.roles.poison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.Topics;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PoisonRecords;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.kafka.DeadLetterHeaders;
import dev.idsync.kafka.DeadLetters;
import dev.idsync.kafka.PoisonReason;
import dev.idsync.roles.RolesTestSupport;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A poison record of each kind on a public directory topic role-mapper reads (memberships), followed by good
 * ones: the poison goes to {@code idsync.directory.memberships.v2.dlq} with its reason, is counted, and the
 * good ones are applied (the group's members in role-mapper's table).
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class PoisonRecordsTest {

    private static final String TENANT = "members"; // idsync-test.yaml: no role mappings
    private static final String TOPIC = Topics.MEMBERSHIPS;
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry registry;

    private final String group = "g-poison-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void a_record_that_is_not_json_goes_to_the_dead_letter_topic_and_the_next_is_applied() throws Exception {
        poisonThenGood("not-json", PoisonRecords::notJson, added(TENANT, "bad"));
    }

    @Test
    void an_event_of_an_unknown_type_goes_to_the_dead_letter_topic_and_the_next_is_applied() throws Exception {
        poisonThenGood("unknown-type", PoisonRecords::unknownType, added(TENANT, "bad"));
    }

    @Test
    void an_event_that_violates_its_json_schema_goes_to_the_dead_letter_topic_and_the_next_is_applied() throws Exception {
        poisonThenGood("schema-violation", PoisonRecords::schemaViolation, added(TENANT, "bad"));
    }

    @Test
    void an_event_of_a_tenant_not_in_idsync_yaml_goes_to_the_dead_letter_topic_and_the_next_is_applied() throws Exception {
        poisonThenGood("unknown-tenant", PoisonRecords::of, added("not-configured", "bad"));
    }

    @Test
    void a_record_the_database_refuses_goes_to_the_dead_letter_topic_and_the_rest_of_its_batch_is_applied()
            throws Exception {
        // PostgreSQL's text has no NUL character (22021): the database refuses this member for good.
        String marker = "refused-" + group;
        double before = count("refused-by-database");
        MembershipAdded first = added(TENANT, "before");
        MembershipAdded refused = added(TENANT, "nul\u0000byte");
        MembershipAdded last = added(TENANT, "after");
        // One key for all three, so they share a partition and most likely a poll batch.
        PoisonRecords.send(bootstrapServers, List.of(
                PoisonRecords.of(TOPIC, first.key(), first, "good-" + group),
                PoisonRecords.of(TOPIC, first.key(), refused, marker),
                PoisonRecords.of(TOPIC, first.key(), last, "good2-" + group)));

        await().atMost(WAIT).untilAsserted(() -> assertThat(members()).containsExactly("after:user", "before:user"));
        ConsumerRecord<String, byte[]> letter = PoisonRecords.deadLetter(bootstrapServers, TOPIC, marker, WAIT);
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.REASON)).contains("refused-by-database");
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.ERROR)).hasValueSatisfying(e -> assertThat(e).startsWith("22"));
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.CONSUMER_GROUP)).contains("role-mapper");
        await().atMost(WAIT).until(() -> count("refused-by-database") >= before + 1);
    }

    private void poisonThenGood(String reason, PoisonRecords.Maker maker, MembershipAdded poisonEvent) throws Exception {
        String marker = reason + "-" + group;
        double before = count(reason);
        MembershipAdded good = added(TENANT, "good");
        PoisonRecords.send(bootstrapServers, List.of(
                maker.make(TOPIC, good.key(), poisonEvent, marker),
                PoisonRecords.of(TOPIC, good.key(), good, "good-" + group)));

        await().atMost(WAIT).untilAsserted(() -> assertThat(members()).containsExactly("good:user"));
        ConsumerRecord<String, byte[]> letter = PoisonRecords.deadLetter(bootstrapServers, TOPIC, marker, WAIT);
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.REASON)).contains(reason);
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.TOPIC)).contains(TOPIC);
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.PARTITION)).isPresent();
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.OFFSET)).isPresent();
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.CONSUMER_GROUP)).contains("role-mapper");
        assertThat(PoisonRecords.header(letter, "ce_id")).as("original headers kept").isPresent();
        assertThat(letter.key()).isEqualTo(good.key());
        await().atMost(WAIT).until(() -> count(reason) >= before + 1);
    }

    private MembershipAdded added(String tenant, String member) {
        return MembershipAdded.of(tenant, group, "run-1", 0, T0, member, MemberType.USER);
    }

    private List<String> members() throws Exception {
        return RolesTestSupport.groupMembers(dataSource, TENANT, group);
    }

    private double count(String reason) {
        return DeadLetters.count(registry, TOPIC, PoisonReason.ofCode(reason));
    }
}
