package dev.idsync.processor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.idsync.api.Problem;
import dev.idsync.api.Roles;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.events.Topics;
import dev.idsync.events.UserUpserted;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.events.kafka.SyncEventSerializer;
import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.processor.store.DryRunCollector;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Dry runs on {@code idsync.sync.dryrun.v1} become plans (add / update with the attribute diff / delete)
 * against the store filled through the real observation topic, and leave the store as it was.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class DryRunPlanTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;

    @Inject
    AgroalDataSource dataSource;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Test
    void a_dry_run_plans_the_new_user_the_changed_attributes_after_mapping_and_the_missing_user_and_changes_no_row()
            throws Exception {
        String tenant = "planned"; // field mapping jobTitle → position, org units by companyName (idsync-test.yaml)
        StoreProbe store = storeWith(tenant, Map.of(
                "alice", user("Alice", "Engineer", "Planned GmbH"),
                "bob", user("Bob", "Engineer", "Planned GmbH"),
                "carol", user("Carol", "Engineer", "Planned GmbH")));
        List<String> before = store.snapshot();

        String runId = "dry-" + UUID.randomUUID();
        publishDryRun(tenant, runId, List.of(
                new UserUpserted(tenant, "alice", runId, 0, now, user("Alice", "Engineer", "Planned GmbH")),
                new UserUpserted(tenant, "bob", runId, 0, now, user("Bob", "Manager", "Planned AG")),
                new UserUpserted(tenant, "dave", runId, 0, now, user("Dave", "Intern", "Planned AG"))), null);

        JsonPath plan = completedPlan(tenant, runId);
        assertThat(plan.getInt("total")).isEqualTo(3);
        assertThat(plan.<String>getList("items.action")).containsExactly("add", "delete", "update");
        assertThat(plan.<String>getList("items.id")).containsExactly("dave", "carol", "bob");
        assertThat(plan.getString("items[1].reason")).isEqualTo("notSeenInFullSync");
        // The diff is in local names, as the store would hold them: position (mapped) and the org unit.
        assertThat(plan.<Map<String, Object>>getList("items[2].changes")).containsExactlyInAnyOrder(
                Map.of("attribute", "position", "old", "Engineer", "new", "Manager"),
                Map.of("attribute", "companyName", "old", "Planned GmbH", "new", "Planned AG"),
                Map.of("attribute", "orgUnit", "old", "DE-01", "new", "CH-01"));
        assertThat(plan.<Map<String, Object>>getList("items[0].changes"))
                .contains(Map.of("attribute", "position", "new", "Intern"), Map.of("attribute", "orgUnit", "new", "CH-01"));
        assertThat(plan.getInt("summary.user.add")).isEqualTo(1);
        assertThat(plan.getInt("summary.user.update")).isEqualTo(1);
        assertThat(plan.getInt("summary.user.delete")).isEqualTo(1);
        assertThat(plan.getBoolean("limited")).isFalse();

        assertThat(store.snapshot()).isEqualTo(before);
        assertThat(store.count("select count(*) from directory.sync_runs where tenant_id = ? and run_id like 'dry-%'"))
                .isZero();
        assertThat(store.object("dave")).isNull();
    }

    @Test
    void a_run_stopped_at_limit_users_proposes_no_user_as_not_seen() throws Exception {
        String tenant = "dry-limited"; // idsync-test.yaml (events of a tenant not listed there are dead-lettered)
        StoreProbe store = storeWith(tenant, Map.of(
                "u1", user("One", "Engineer", null), "u2", user("Two", "Engineer", null),
                "u3", user("Three", "Engineer", null)));
        List<String> before = store.snapshot();
        String runId = "dry-" + UUID.randomUUID();
        publishDryRun(tenant, runId, List.of(new UserUpserted(tenant, "u1", runId, 0, now, user("One", "Lead", null))),
                "users: stopped after 1 users (limitUsers); no token stored");

        JsonPath plan = completedPlan(tenant, runId);
        assertThat(plan.getBoolean("limited")).isTrue();
        assertThat(plan.<String>getList("items.action")).containsExactly("update");
        assertThat(plan.getInt("summary.user.delete")).isZero();
        assertThat(plan.getString("summary.deletionsComputed.notSeen")).contains("not computed for users");
        assertThat(store.snapshot()).isEqualTo(before);
    }

    @Test
    void a_dry_run_of_groups_counts_membership_adds_and_removes_and_proposes_no_user_it_did_not_cover()
            throws Exception {
        String tenant = "dry-members"; // idsync-test.yaml (events of a tenant not listed there are dead-lettered)
        StoreProbe store = storeWith(tenant, Map.of("ann", user("Ann", "Engineer", null), "ben", user("Ben", "Engineer", null)),
                List.of(new GroupUpserted(tenant, "team", "seed", 1, now.minusSeconds(30), Map.of("displayName", "Team")),
                        MembershipAdded.of(tenant, "team", "seed", 1, now.minusSeconds(30), "ann", MemberType.USER),
                        MembershipAdded.of(tenant, "team", "seed", 1, now.minusSeconds(30), "ben", MemberType.USER)));
        await().atMost(WAIT).until(() -> store.members("team").equals(List.of("ann", "ben")));
        List<String> before = store.snapshot();
        String runId = "dry-" + UUID.randomUUID();
        List<SyncEvent> read = List.of(
                new GroupUpserted(tenant, "team", runId, 0, now, Map.of("displayName", "Team")),
                MembershipAdded.of(tenant, "team", runId, 0, now, "ben", MemberType.USER),
                MembershipAdded.of(tenant, "team", runId, 0, now, "cat", MemberType.USER));
        publishDryRun(tenant, runId, List.of("groups"), read,
                Map.of("group.upserted", 1L, "membership.added", 2L), null);

        JsonPath plan = completedPlan(tenant, runId);
        assertThat(plan.getInt("total")).isZero(); // the group is unchanged; users were not read, so not swept
        assertThat(plan.getInt("summary.memberships.add")).isEqualTo(1); // cat
        assertThat(plan.getInt("summary.memberships.remove")).isEqualTo(1); // ann
        assertThat(store.snapshot()).isEqualTo(before);
    }

    @Test
    void the_export_is_a_real_xlsx_with_a_row_per_changed_attribute_and_per_deletion() throws Exception {
        String tenant = "dry-export"; // idsync-test.yaml (events of a tenant not listed there are dead-lettered)
        storeWith(tenant, Map.of("kept", user("Kept", "Engineer", null), "gone", user("Gone", "Engineer", null)));
        String runId = "dry-" + UUID.randomUUID();
        publishDryRun(tenant, runId, List.of(new UserUpserted(tenant, "kept", runId, 0, now, user("Kept", "Architect", null))),
                null);
        completedPlan(tenant, runId);

        InputStream xlsx = given().header("Authorization", TestTokens.bearer(emulator, Roles.READER))
                .when().get("/api/tenants/" + tenant + "/dry-runs/" + runId + "/export.xlsx")
                .then().statusCode(200).contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .extract().asInputStream();
        try (ReadableWorkbook workbook = new ReadableWorkbook(xlsx)) {
            List<Row> rows = workbook.getFirstSheet().read();
            assertThat(rows).hasSize(3); // header, the deletion, the one changed attribute
            assertThat(rows.getFirst().getCellAsString(0)).contains("action");
            assertThat(List.of(text(rows.get(1), 0), text(rows.get(1), 2), text(rows.get(1), 7)))
                    .containsExactly("delete", "gone", "notSeenInFullSync");
            assertThat(List.of(text(rows.get(2), 0), text(rows.get(2), 2), text(rows.get(2), 4), text(rows.get(2), 5),
                    text(rows.get(2), 6))).containsExactly("update", "kept", "jobTitle", "Engineer", "Architect");
        }
    }

    @Inject
    DryRunCollector collector;

    /**
     * A batch delivered again (a crash between the database commit and the offset commit) is not counted
     * twice: otherwise the plan would be finalised before the run's last user arrived. The collector is
     * fed directly with the positions Kafka would give, on a topic name of its own.
     */
    @Test
    void a_redelivered_batch_is_counted_once_so_the_plan_waits_for_every_announced_event() throws Exception {
        String tenant = "dry-replay"; // idsync-test.yaml (events of a tenant not listed there are dead-lettered)
        storeWith(tenant, Map.of("u1", user("One", "Engineer", null)));
        String runId = "dry-" + UUID.randomUUID();
        String topic = "test.dryrun.replay-" + UUID.randomUUID();
        SyncEvent started = new SyncRunStarted(tenant, runId, runId, 0, now,
                new SyncRun(SyncMode.DRY_RUN, List.of("users"), Map.of(), null));
        SyncEvent one = new UserUpserted(tenant, "u1", runId, 0, now, user("One", "Engineer", null));
        SyncEvent two = new UserUpserted(tenant, "u2", runId, 0, now, user("Two", "Engineer", null));
        SyncEvent completed = new SyncRunCompleted(tenant, runId, runId, 0, now.plusSeconds(1),
                new SyncRun(SyncMode.DRY_RUN, List.of("users"), Map.of("user.upserted", 2L), null));
        List<DryRunCollector.Positioned> first = List.of(at(topic, 0, 0, started), at(topic, 1, 0, one));

        collector.collect(first);
        collector.collect(first); // re-delivered
        collector.collect(List.of(at(topic, 0, 1, completed)));
        String reader = TestTokens.bearer(emulator, Roles.READER);
        given().header("Authorization", reader).when().get("/api/tenants/" + tenant + "/dry-runs/" + runId)
                .then().statusCode(200).body("state", equalTo("collecting"))
                .body("eventsReceived.'user.upserted'", equalTo(1));

        collector.collect(List.of(at(topic, 2, 0, two)));
        JsonPath plan = completedPlan(tenant, runId);
        assertThat(plan.<String>getList("items.id")).containsExactly("u2");
        assertThat(plan.<String>getList("items.action")).containsExactly("add");
    }

    private static DryRunCollector.Positioned at(String topic, int partition, long offset, SyncEvent event) {
        return new DryRunCollector.Positioned(new DryRunCollector.Position(topic, partition, offset), event);
    }

    @Test
    void an_unknown_dry_run_is_a_404_problem_and_a_missing_token_a_401() {
        given().header("Authorization", TestTokens.bearer(emulator, Roles.READER))
                .when().get("/api/tenants/planned/dry-runs/no-such-run")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", TestTokens.bearer(emulator, Roles.READER))
                .when().get("/api/tenants/planned/dry-runs/no-such-run/export.xlsx")
                .then().statusCode(404);
        given().when().get("/api/tenants/planned/dry-runs/no-such-run")
                .then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    }

    private static String text(Row row, int col) {
        return row.getCellAsString(col).orElse(null);
    }

    private static Map<String, Object> user(String name, String jobTitle, String company) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("displayName", name);
        data.put("userPrincipalName", name.toLowerCase() + "@planned.example");
        data.put("jobTitle", jobTitle);
        if (company != null) {
            data.put("companyName", company);
        }
        data.put("accountEnabled", true);
        return data;
    }

    private StoreProbe storeWith(String tenant, Map<String, Map<String, Object>> users) {
        return storeWith(tenant, users, List.of());
    }

    /** The users (and other objects) in the store through the real observation topic (a full sync of them). */
    private StoreProbe storeWith(String tenant, Map<String, Map<String, Object>> users, List<SyncEvent> more) {
        StoreProbe store = new StoreProbe(dataSource, tenant);
        String runId = "full-" + UUID.randomUUID();
        List<SyncEvent> events = new ArrayList<>(List.of(store.started(runId, SyncMode.FULL, 1, now.minusSeconds(60))));
        users.forEach((id, data) -> events.add(new UserUpserted(tenant, id, runId, 1, now.minusSeconds(30), data)));
        events.addAll(more);
        events.add(store.completed(runId, SyncMode.FULL, 1, now.minusSeconds(20)));
        Observations.publish(bootstrapServers, events);
        await().atMost(WAIT).until(() -> store.count(
                "select count(*) from directory.objects where tenant_id = ? and kind = 'user' and state = 'active'")
                == users.size() && store.count("select count(*) from directory.sync_runs where tenant_id = ? "
                        + "and status = 'completed'") == 1);
        return store;
    }

    /** A dry run as graph-poller publishes it: started, the read objects, completed with the event counts. */
    private void publishDryRun(String tenant, String runId, List<UserUpserted> read, String reason) {
        publishDryRun(tenant, runId, List.of("users"), read, Map.of("user.upserted", (long) read.size(), "pages.users", 1L),
                reason);
    }

    private void publishDryRun(String tenant, String runId, List<String> resources, List<? extends SyncEvent> read,
            Map<String, Long> counts, String reason) {
        List<SyncEvent> events = new ArrayList<>();
        events.add(new SyncRunStarted(tenant, runId, runId, 0, now, new SyncRun(SyncMode.DRY_RUN, resources,
                Map.of(), null)));
        events.addAll(read);
        events.add(new SyncRunCompleted(tenant, runId, runId, 0, now.plusSeconds(1), new SyncRun(SyncMode.DRY_RUN,
                resources, counts, reason)));
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                SyncEventSerializer.SOURCE_CONFIG, "urn:idsync:test");
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new SyncEventSerializer())) {
            for (SyncEvent event : events) {
                producer.send(SyncEventRecords.of(Topics.DRY_RUN, event));
            }
            producer.flush();
        }
    }

    private JsonPath completedPlan(String tenant, String runId) {
        String reader = TestTokens.bearer(emulator, Roles.READER);
        await().atMost(WAIT).until(() -> {
            var response = given().header("Authorization", reader)
                    .when().get("/api/tenants/" + tenant + "/dry-runs/" + runId);
            return response.statusCode() == 200 && "complete".equals(response.jsonPath().getString("state"));
        });
        return given().header("Authorization", reader).queryParam("size", 100)
                .when().get("/api/tenants/" + tenant + "/dry-runs/" + runId)
                .then().statusCode(200).body("state", equalTo("complete")).extract().jsonPath();
    }
}
