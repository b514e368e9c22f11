package dev.idsync.audit.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.audit.AuditTestSupport;
import dev.idsync.events.AssignmentSource;
import dev.idsync.events.RoleAssignment;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.Topics;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Poison on a topic only the audit reads (role assignments): recorded all the same (nothing on a topic escapes
 * the audit) and a copy with its reason in {@code idsync.app.role-assignments.v2.dlq}; a record the database
 * refuses goes to the {@code .dlq} instead; the good records after either are recorded.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class PoisonRecordsTest {

    private static final String TOPIC = Topics.ROLE_ASSIGNMENTS;
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry registry;

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void a_record_that_is_not_json_goes_to_the_dead_letter_topic_is_recorded_as_unreadable_and_the_next_is_applied()
            throws Exception {
        ConsumerRecord<String, byte[]> letter = poisonThenGood("not-json", PoisonRecords::notJson);
        String position = TOPIC + "/" + PoisonRecords.header(letter, DeadLetterHeaders.PARTITION).orElseThrow()
                + "/" + PoisonRecords.header(letter, DeadLetterHeaders.OFFSET).orElseThrow();
        assertThat(recorded("unreadable:" + position)).as("recorded under its position").isEqualTo(1);
    }

    @Test
    void an_event_that_violates_its_json_schema_goes_to_the_dead_letter_topic_is_recorded_and_the_next_is_applied()
            throws Exception {
        poisonThenGood("schema-violation", PoisonRecords::schemaViolation);
    }

    @Test
    void an_event_of_an_unknown_type_is_recorded_verbatim_and_is_no_poison_for_the_audit() throws Exception {
        double before = count("unknown-type");
        RoleAssignmentGranted unknown = granted(tenant, "u-unknown");
        RoleAssignmentGranted good = granted(tenant, "u-good");
        PoisonRecords.send(bootstrapServers, List.of(
                PoisonRecords.unknownType(TOPIC, unknown.key(), unknown, "unknown-" + tenant),
                PoisonRecords.of(TOPIC, good.key(), good, "good-" + tenant)));
        await().atMost(WAIT).until(() -> AuditTestSupport.count(dataSource, tenant) == 2);
        assertThat(count("unknown-type")).isEqualTo(before);
    }

    @Test
    void a_record_the_database_refuses_goes_to_the_dead_letter_topic_and_the_rest_of_its_batch_is_recorded()
            throws Exception {
        // PostgreSQL's text has no NUL character (22021): the audit cannot store this tenant id.
        String marker = "refused-" + tenant;
        double before = count("refused-by-database");
        RoleAssignmentGranted first = granted(tenant, "u-before");
        RoleAssignmentGranted refused = granted(tenant + "\u0000x", "u-refused");
        RoleAssignmentGranted last = granted(tenant, "u-after");
        PoisonRecords.send(bootstrapServers, List.of(
                PoisonRecords.of(TOPIC, first.key(), first, "good-" + tenant),
                PoisonRecords.of(TOPIC, first.key(), refused, marker),
                PoisonRecords.of(TOPIC, first.key(), last, "good2-" + tenant)));

        await().atMost(WAIT).until(() -> AuditTestSupport.count(dataSource, tenant) == 2);
        ConsumerRecord<String, byte[]> letter = PoisonRecords.deadLetter(bootstrapServers, TOPIC, marker, WAIT);
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.REASON)).contains("refused-by-database");
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.ERROR)).hasValueSatisfying(e -> assertThat(e).startsWith("22"));
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.CONSUMER_GROUP)).contains("audit-log");
        await().atMost(WAIT).until(() -> count("refused-by-database") >= before + 1);
    }

    private ConsumerRecord<String, byte[]> poisonThenGood(String reason, PoisonRecords.Maker maker) throws Exception {
        String marker = reason + "-" + tenant;
        double before = count(reason);
        RoleAssignmentGranted bad = granted(tenant, "u-bad");
        RoleAssignmentGranted good = granted(tenant, "u-good");
        PoisonRecords.send(bootstrapServers, List.of(
                maker.make(TOPIC, bad.key(), bad, marker),
                PoisonRecords.of(TOPIC, good.key(), good, "good-" + tenant)));

        ConsumerRecord<String, byte[]> letter = PoisonRecords.deadLetter(bootstrapServers, TOPIC, marker, WAIT);
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.REASON)).contains(reason);
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.TOPIC)).contains(TOPIC);
        assertThat(PoisonRecords.header(letter, DeadLetterHeaders.CONSUMER_GROUP)).contains("audit-log");
        assertThat(PoisonRecords.header(letter, "ce_id")).as("original headers kept").isPresent();
        assertThat(letter.key()).isEqualTo(bad.key());
        await().atMost(WAIT).until(() -> count(reason) >= before + 1);
        await().atMost(WAIT).until(() -> recordedOf(tenant, "u-good") == 1);
        return letter;
    }

    private RoleAssignmentGranted granted(String tenantId, String user) {
        return new RoleAssignmentGranted(tenantId, user, null, 1, T0,
                new RoleAssignment("User", AssignmentSource.MANUAL, null, null));
    }

    private long recorded(String ceId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("select count(*) from audit.events where ce_id = ?")) {
            q.setString(1, ceId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long recordedOf(String tenantId, String objectId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement(
                     "select count(*) from audit.events where tenant_id = ? and object_id = ?")) {
            q.setString(1, tenantId);
            q.setString(2, objectId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private double count(String reason) {
        return DeadLetters.count(registry, TOPIC, PoisonReason.ofCode(reason));
    }
}
