package dev.idsync.audit.recording;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import dev.idsync.api.Roles;
import dev.idsync.events.AssignmentSource;
import dev.idsync.events.CeIds;
import dev.idsync.events.DeletionDecision;
import dev.idsync.events.DeletionsDecided;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.ProfileRejection;
import dev.idsync.events.ProfileUpdate;
import dev.idsync.events.ProfileUpdateRejected;
import dev.idsync.events.ProfileUpdated;
import dev.idsync.events.Removal;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.RoleAssignment;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.events.Topics;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.events.kafka.SyncEventSerializer;
import dev.idsync.infra.test.EmulatorResource;
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
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Events on every real idsync topic, both layers (what Graph said and what idsync decided), land in the
 * audit exactly once each, also when the topics are replayed.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class EveryTopicIsRecordedOnceTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String ADMIN = "admin@contoso.example";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "idsync.test.emulator.url")
    String emulatorUrl;

    @Inject
    AgroalDataSource dataSource;

    private final String tenant = "t-" + UUID.randomUUID();

    /** A record as its producer publishes it: topic, key, the ce_id scope of its serializer. */
    private record Published(ProducerRecord<String, SyncEvent> record, String idScope) {
        String ceId() {
            return CeIds.of(idScope, record.value());
        }
    }

    @Test
    void each_event_of_every_topic_of_both_layers_is_recorded_once_with_type_object_actor_and_run_even_after_two_replays()
            throws Exception {
        SyncEvent started = new SyncRunStarted(tenant, "run-1", "run-1", 1, T0,
                new SyncRun(SyncMode.FULL, List.of("users"), Map.of(), null));
        UserUpserted ada = new UserUpserted(tenant, "u1", "run-1", 1, T0, Map.of("displayName", "Ada"));
        List<Published> records = List.of(
                // What Graph said (graph-poller): the run marker in line with the observations, keyed by tenant.
                new Published(SyncEventRecords.observation(started), null),
                new Published(SyncEventRecords.observation(ada), null),
                // What idsync decided (delta-processor, ce_ids of the "decided" scope): the same user as a decision
                // whose body equals the observation, the directory's other topics, a removal an admin approved.
                new Published(SyncEventRecords.of(ada), CeIds.DECIDED),
                new Published(SyncEventRecords.of(new GroupUpserted(tenant, "g1", "run-1", 1, T0,
                        Map.of("displayName", "HR"))), CeIds.DECIDED),
                new Published(SyncEventRecords.of(MembershipAdded.of(tenant, "g1", "run-1", 1, T0, "u1",
                        MemberType.USER)), CeIds.DECIDED),
                new Published(SyncEventRecords.of(new DirectoryRoleUpserted(tenant, "r1", "run-1", 1, T0,
                        Map.of("displayName", "Global Reader"))), CeIds.DECIDED),
                new Published(SyncEventRecords.of(new UserRemoved(tenant, "u2", "run-1", 1, T0,
                        new Removal(RemovalReason.NOT_SEEN_IN_FULL_SYNC, ADMIN))), CeIds.DECIDED),
                new Published(SyncEventRecords.of(new DeletionsDecided(tenant, "run-1", "run-1", 1, T0.plusSeconds(60),
                        new DeletionDecision(DeletionDecision.Decision.APPROVED, 1, Map.of("notSeenInFullSync", 1L), 40,
                                ADMIN))), CeIds.DECIDED),
                // The run marker again on the runs topic (graph-poller publishes it on both): one change, one row.
                new Published(SyncEventRecords.of(started), null),
                new Published(SyncEventRecords.of(Topics.DRY_RUN, new SyncRunStarted(tenant, "run-dry", "run-dry", 1, T0,
                        new SyncRun(SyncMode.DRY_RUN, List.of("users"), Map.of(), null))), null),
                new Published(SyncEventRecords.of(new RoleAssignmentGranted(tenant, "u1", null, 1, T0,
                        new RoleAssignment("User", AssignmentSource.MANUAL, null, null))), null),
                new Published(SyncEventRecords.of(new ProfileUpdated(tenant, "u1", "req-7", 2, T0,
                        new ProfileUpdate("ada@contoso.example", Map.of("jobTitle", "Dev"), Map.of("jobTitle", "Lead")))),
                        null),
                new Published(SyncEventRecords.of(new ProfileUpdateRejected(tenant, "u1", "req-8", 2, T0,
                        new ProfileRejection("bob@contoso.example", "forbidden", 403, "not allowed",
                                Map.of("jobTitle", "CEO")))), null));
        Set<String> topics = new HashSet<>();
        records.forEach(p -> topics.add(p.record().topic()));
        assertThat(topics).as("every idsync topic is in this test").containsExactlyInAnyOrderElementsOf(Topics.ALL);
        Map<String, Published> published = new HashMap<>();
        records.forEach(p -> published.put(p.ceId(), p));
        assertThat(published).as("the marker on two topics is one change; the decided user is not").hasSize(records.size() - 1);

        for (int round = 0; round < 3; round++) { // the first publication and two replays
            publish(records);
        }
        // Not a CloudEvent at all: still recorded, under a synthetic id, so nothing on a topic escapes.
        publishRaw(Topics.USERS, "{\"tenantId\":\"" + tenant + "\",\"objectId\":\"u9\"}");
        await().atMost(Duration.ofSeconds(60)).until(() -> recorded().keySet().containsAll(published.keySet())
                && recorded().size() > published.size());

        Map<String, String> recorded = recorded();
        Set<String> unreadable = new HashSet<>(recorded.keySet());
        unreadable.removeAll(published.keySet());
        assertThat(unreadable).singleElement().asString().startsWith("unreadable:" + Topics.USERS + "/");
        assertThat(recorded).hasSize(published.size() + 1);
        published.forEach((ceId, p) -> {
            SyncEvent event = p.record().value();
            String topic = event instanceof SyncRunStarted && !Topics.DRY_RUN.equals(p.record().topic())
                    ? recorded.get(ceId).split(" ")[3] // the run marker: whichever of its two topics was read first
                    : p.record().topic();
            assertThat(recorded).containsEntry(ceId, event.ceType() + " " + event.objectId() + " " + event.runId()
                    + " " + topic);
        });

        String reader = TestTokens.bearer(emulatorUrl, Roles.READER);
        // Both layers of one change: what Graph said and what idsync decided, told apart by topic and layer.
        given().header("Authorization", reader)
                .queryParam("tenant", tenant).queryParam("objectId", "u1").queryParam("type", "dev.idsync.user.upserted.v1")
                .when().get("/api/audit/events")
                .then().statusCode(200)
                .body("items", hasSize(2))
                .body("items.topic", containsInAnyOrder(Topics.GRAPH_OBSERVATIONS, Topics.USERS))
                .body("items.layer", containsInAnyOrder("internal", "public"))
                .body("items.ceId", containsInAnyOrder(CeIds.of(ada), CeIds.of(CeIds.DECIDED, ada)));
        given().header("Authorization", reader)
                .queryParam("tenant", tenant).queryParam("topic", Topics.USERS)
                .when().get("/api/audit/events")
                .then().statusCode(200)
                .body("items", hasSize(3)) // the decided upsert, the removal, the unreadable record
                .body("items.layer", everyItem(equalTo("public")))
                .body("items.type", hasItems("dev.idsync.user.upserted.v1", "dev.idsync.user.removed.v2"));
        given().header("Authorization", reader)
                .queryParam("tenant", tenant).queryParam("topic", Topics.DRY_RUN)
                .when().get("/api/audit/events")
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].layer", equalTo("internal"))
                .body("items[0].runId", equalTo("run-dry"));
        // The administrator who approved held deletions is the actor of the decision and of the removal it let through.
        given().header("Authorization", reader)
                .queryParam("tenant", tenant).queryParam("actor", ADMIN)
                .when().get("/api/audit/events")
                .then().statusCode(200)
                .body("items.type", containsInAnyOrder("dev.idsync.user.removed.v2", "dev.idsync.deletions.decided.v1"))
                .body("items.topic", containsInAnyOrder(Topics.USERS, Topics.SYNC_RUNS))
                .body("items.find { it.type == 'dev.idsync.deletions.decided.v1' }.payload.data.decision",
                        equalTo("approved"));
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

    /** Each record with a serializer of its ce_id scope, as its producer would (acks=all). */
    private void publish(List<Published> records) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
        try (var observed = new KafkaProducer<>(config, new StringSerializer(), new SyncEventSerializer("urn:idsync:test"));
                var decided = new KafkaProducer<>(config, new StringSerializer(),
                        new SyncEventSerializer("urn:idsync:test", CeIds.DECIDED))) {
            for (Published p : records) {
                // A fresh record each time: a sent record's headers are closed.
                (p.idScope() == null ? observed : decided)
                        .send(new ProducerRecord<>(p.record().topic(), p.record().key(), p.record().value()));
            }
            observed.flush();
            decided.flush();
        }
    }

    private void publishRaw(String topic, String value) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "u9", value.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    /** ce_id → "type object run topic" of this tenant's rows. */
    private Map<String, String> recorded() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select ce_id, ce_type, object_id, run_id, topic from audit.events where tenant_id = ?")) {
            q.setString(1, tenant);
            Map<String, String> rows = new HashMap<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String previous = rows.put(rs.getString(1),
                            rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " " + rs.getString(5));
                    assertThat(previous).as("ce_id %s recorded twice", rs.getString(1)).isNull();
                }
            }
            return rows;
        }
    }
}
