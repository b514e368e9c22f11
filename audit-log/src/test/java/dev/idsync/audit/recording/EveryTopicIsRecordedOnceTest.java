package dev.idsync.audit.recording;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.idsync.api.Roles;
import dev.idsync.events.AssignmentSource;
import dev.idsync.events.CeIds;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.ProfileRejection;
import dev.idsync.events.ProfileUpdate;
import dev.idsync.events.ProfileUpdateRejected;
import dev.idsync.events.ProfileUpdated;
import dev.idsync.events.RoleAssignment;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.events.Topics;
import dev.idsync.events.UserUpserted;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.events.kafka.SyncEventSerializer;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.EventTopicProbe;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Events on every real idsync topic land in the audit exactly once, also when the topics are replayed. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class EveryTopicIsRecordedOnceTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "idsync.test.emulator.url")
    String emulatorUrl;

    @Inject
    AgroalDataSource dataSource;

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void each_event_of_every_topic_is_recorded_once_with_type_object_actor_and_run_even_after_two_replays()
            throws Exception {
        List<SyncEvent> events = List.of(
                new SyncRunStarted(tenant, "run-1", "run-1", 1, T0, new SyncRun(SyncMode.FULL, List.of("users"), Map.of(), null)),
                new UserUpserted(tenant, "u1", "run-1", 1, T0, Map.of("displayName", "Ada")),
                new GroupUpserted(tenant, "g1", "run-1", 1, T0, Map.of("displayName", "HR")),
                MembershipAdded.of(tenant, "g1", "run-1", 1, T0, "u1", MemberType.USER),
                new DirectoryRoleUpserted(tenant, "r1", "run-1", 1, T0, Map.of("displayName", "Global Reader")),
                new RoleAssignmentGranted(tenant, "u1", null, 1, T0,
                        new RoleAssignment("User", AssignmentSource.MANUAL, null, null)),
                new ProfileUpdated(tenant, "u1", "req-7", 2, T0,
                        new ProfileUpdate("ada@contoso.example", Map.of("jobTitle", "Dev"), Map.of("jobTitle", "Lead"))),
                new ProfileUpdateRejected(tenant, "u1", "req-8", 2, T0,
                        new ProfileRejection("bob@contoso.example", "forbidden", 403, "not allowed", Map.of("jobTitle", "CEO"))));
        SyncEvent dryRun = new SyncRunStarted(tenant, "run-dry", "run-dry", 1, T0,
                new SyncRun(SyncMode.DRY_RUN, List.of("users"), Map.of(), null));
        Set<String> published = new HashSet<>();
        events.forEach(e -> published.add(CeIds.of(e)));
        published.add(CeIds.of(dryRun));

        for (int round = 0; round < 3; round++) { // the first publication and two replays
            EventTopicProbe.publish(bootstrapServers, events);
            publishToDryRun(dryRun);
        }
        // Not a CloudEvent at all: still recorded, under a synthetic id, so nothing on a topic escapes.
        publishRaw(Topics.USERS, "{\"tenantId\":\"" + tenant + "\",\"objectId\":\"u9\"}");
        // A marker published last: once it is recorded, every replay before it has been consumed too.
        var marker = new UserUpserted(tenant, "marker", "run-2", 1, T0, Map.of());
        EventTopicProbe.publish(bootstrapServers, List.of(marker));
        await().atMost(Duration.ofSeconds(60)).until(() -> recorded().containsKey(CeIds.of(marker)));
        published.add(CeIds.of(marker));

        Map<String, String> recorded = recorded();
        Set<String> unreadable = new HashSet<>(recorded.keySet());
        unreadable.removeAll(published);
        assertThat(unreadable).singleElement().asString().startsWith("unreadable:" + Topics.USERS + "/");
        assertThat(recorded).hasSize(published.size() + 1);
        for (SyncEvent event : events) {
            assertThat(recorded).containsEntry(CeIds.of(event),
                    event.ceType() + " " + event.objectId() + " " + event.runId());
        }
        assertThat(recorded.get(CeIds.of(dryRun))).startsWith("dev.idsync.syncrun.started.v1");

        String reader = TestTokens.bearer(emulatorUrl, Roles.READER);
        given().header("Authorization", reader)
                .queryParam("tenant", tenant).queryParam("actor", "ada@contoso.example")
                .when().get("/api/audit/events")
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].type", equalTo("dev.idsync.profile.updated.v1"))
                .body("items[0].objectId", equalTo("u1"))
                .body("items[0].runId", equalTo("req-7"))
                .body("items[0].payload.data.after.jobTitle", equalTo("Lead"));
        given().header("Authorization", reader)
                .queryParam("tenant", tenant).queryParam("actor", "bob@contoso.example")
                .when().get("/api/audit/events")
                .then().statusCode(200)
                .body("items[0].type", equalTo("dev.idsync.profile.update-rejected.v1"));
        given().header("Authorization", reader).queryParam("tenant", tenant)
                .when().get("/api/audit/verify")
                .then().statusCode(200)
                .body("intact", equalTo(true))
                .body("rowsChecked", equalTo(published.size() + 1));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("idsync_audit_events_recorded_total"))
                .body(containsString("idsync_audit_events_duplicate_total"))
                .body(containsString("idsync_audit_recording_lag_seconds"))
                .body(containsString("idsync_audit_verify_runs_total{result=\"intact\"}"));
    }

    private void publishToDryRun(SyncEvent event) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                SyncEventSerializer.SOURCE_CONFIG, "urn:idsync:test"), new StringSerializer(), new SyncEventSerializer())) {
            producer.send(SyncEventRecords.of(Topics.DRY_RUN, event));
            producer.flush();
        }
    }

    private void publishRaw(String topic, String value) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "u9", value.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    /** ce_id → "type object run" of this tenant's rows. */
    private Map<String, String> recorded() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select ce_id, ce_type, object_id, run_id from audit.events where tenant_id = ?")) {
            q.setString(1, tenant);
            Map<String, String> rows = new HashMap<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String previous = rows.put(rs.getString(1),
                            rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                    assertThat(previous).as("ce_id %s recorded twice", rs.getString(1)).isNull();
                }
            }
            return rows;
        }
    }
}
