package dev.idsync.processor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.idsync.api.Problem;
import dev.idsync.api.Roles;
import dev.idsync.events.DeletionDecision;
import dev.idsync.events.DeletionsDecided;
import dev.idsync.events.GroupRemoved;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
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
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The accidental-delete gate's decisions as subscribers see them: what it lets through is on the directory
 * topics with its reason, what it holds is on none until an admin approves it, what an admin rejects never;
 * every decision is a {@code deletions.decided} on {@code idsync.sync.runs.v1} (docs/DESIGN.md invariant 6).
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class DeletionDecisionsArePublishedTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;

    @Inject
    AgroalDataSource dataSource;

    private final String id = UUID.randomUUID().toString().substring(0, 8);

    private void publish(List<? extends SyncEvent> events) {
        Observations.publish(bootstrapServers, events);
    }

    private static List<DeletionsDecided> decisions(List<SyncEvent> events, String runId) {
        return events.stream().filter(e -> e instanceof DeletionsDecided && e.objectId().equals(runId))
                .map(DeletionsDecided.class::cast).toList();
    }

    private static List<UserRemoved> removals(List<SyncEvent> events) {
        return events.stream().filter(e -> e instanceof UserRemoved).map(UserRemoved.class::cast).toList();
    }

    @Test
    void a_soft_delete_under_the_threshold_is_pending_in_the_store_and_removed_on_the_users_topic() throws Exception {
        String tenant = "published"; // threshold 500 objects / 100 %
        StoreProbe store = new StoreProbe(dataSource, tenant);
        String run = "soft-" + id;
        String gone = "soft-gone-" + id;
        publish(List.of(new UserUpserted(tenant, gone, "f", 1, T0, Map.of("displayName", "Gone Soon")),
                new UserUpserted(tenant, "soft-kept-" + id, "f", 1, T0, Map.of("displayName", "Kept")),
                store.started(run, SyncMode.DELTA, 1, T0.plusSeconds(10)),
                UserRemoved.of(tenant, gone, run, 1, T0.plusSeconds(11), RemovalReason.SOFT_DELETED),
                store.completed(run, SyncMode.DELTA, 1, T0.plusSeconds(12))));

        await().atMost(WAIT).untilAsserted(() -> assertThat(store.object(gone))
                .containsEntry("state", "pendingDeletion").containsEntry("removal_reason", "softDeleted"));
        try (PublicTopics topics = new PublicTopics(bootstrapServers, tenant)) {
            List<SyncEvent> events = topics.awaitEvents(WAIT, e -> !decisions(e, run).isEmpty());
            assertThat(removals(events)).filteredOn(r -> r.objectId().equals(gone)).singleElement().satisfies(r -> {
                assertThat(r.data().reason()).isEqualTo(RemovalReason.SOFT_DELETED);
                assertThat(r.data().decidedBy()).as("let through by the gate itself").isNull();
                assertThat(r.runId()).isEqualTo(run);
                assertThat(r.observedAt()).isEqualTo(T0.plusSeconds(11));
            });
            DeletionDecision released = decisions(events, run).getFirst().data();
            assertThat(released.decision()).isEqualTo(DeletionDecision.Decision.RELEASED);
            assertThat(released.deletions()).isEqualTo(1);
            assertThat(released.byReason()).isEqualTo(Map.of("softDeleted", 1L));
            assertThat(released.liveObjects()).isPositive();
        }
    }

    @Test
    void a_mass_deletion_above_the_threshold_is_on_no_public_topic_until_an_admin_approves_it_and_a_rejected_one_never()
            throws Exception {
        String tenant = "withheld"; // the default threshold: 500 objects or 10 %
        StoreProbe store = new StoreProbe(dataSource, tenant);
        List<SyncEvent> users = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            users.add(new UserUpserted(tenant, "w" + i, "f", 1, T0, Map.of("displayName", "W" + i)));
        }
        publish(users);
        String mass = "mass-" + id;
        List<SyncEvent> run = new ArrayList<>(List.of(store.started(mass, SyncMode.DELTA, 1, T0.plusSeconds(10))));
        for (int i = 0; i < 6; i++) {
            run.add(UserRemoved.of(tenant, "w" + i, mass, 1, T0.plusSeconds(11), RemovalReason.SOFT_DELETED));
        }
        run.add(store.completed(mass, SyncMode.DELTA, 1, T0.plusSeconds(12)));
        publish(run);

        String reader = TestTokens.bearer(emulator, Roles.READER);
        String admin = TestTokens.bearer(emulator, Roles.ADMIN);
        String pending = "/api/tenants/" + tenant + "/pending-deletions";
        await().atMost(WAIT).untilAsserted(() -> given().header("Authorization", reader).when().get(pending)
                .then().statusCode(200).body("count", equalTo(6)));
        JsonPath view = given().header("Authorization", reader).when().get(pending).then().statusCode(200)
                .extract().jsonPath();
        assertThat(view.getString("runs[0].runId")).isEqualTo(mass);
        assertThat(view.getString("runs[0].mode")).isEqualTo("delta");
        assertThat(view.getString("runs[0].groups[0].share")).isEqualTo("6 of 10 users, 60 %");
        assertThat(view.getInt("runs[0].groups[0].liveObjects")).isEqualTo(10);
        assertThat(view.getString("runs[0].groups[0].reason")).isEqualTo("softDeleted");
        assertThat(view.getList("items")).hasSize(6);

        try (PublicTopics topics = new PublicTopics(bootstrapServers, tenant)) {
            List<SyncEvent> held = topics.awaitEvents(WAIT, e -> !decisions(e, mass).isEmpty());
            DeletionDecision decision = decisions(held, mass).getFirst().data();
            assertThat(decision.decision()).isEqualTo(DeletionDecision.Decision.HELD);
            assertThat(decision.deletions()).isEqualTo(6);
            assertThat(decision.liveObjects()).isEqualTo(10);
            assertThat(removals(held)).as("held everywhere: on no public topic").isEmpty();
            assertThat(store.count("select count(*) from directory.objects where tenant_id = ? and state = 'active'"))
                    .isEqualTo(10);

            given().header("Authorization", reader).when().post(pending + "/approve?runId=" + mass)
                    .then().statusCode(403).contentType(Problem.MEDIA_TYPE);
            given().header("Authorization", admin).when().post(pending + "/approve?runId=" + mass)
                    .then().statusCode(200).body("applied", equalTo(6));
            String approver = decidedBy(tenant, mass);
            assertThat(approver).isNotBlank();
            List<SyncEvent> approved = topics.awaitEvents(WAIT, e -> decisions(e, mass).size() == 2);
            assertThat(removals(approved)).hasSize(6).allSatisfy(r -> {
                assertThat(r.data().decidedBy()).isEqualTo(approver);
                assertThat(r.data().reason()).isEqualTo(RemovalReason.SOFT_DELETED);
            });
            DeletionDecision approval = decisions(approved, mass).getLast().data();
            assertThat(approval.decision()).isEqualTo(DeletionDecision.Decision.APPROVED);
            assertThat(approval.decidedBy()).isEqualTo(approver);
            assertThat(approval.deletions()).isEqualTo(6);
            assertThat(store.object("w0")).containsEntry("state", "pendingDeletion");

            // Another run deletes the other four: 4 of 4 live users, held; the admin refuses.
            String refused = "refused-" + id;
            List<SyncEvent> second = new ArrayList<>(List.of(store.started(refused, SyncMode.DELTA, 1, T0.plusSeconds(20))));
            for (int i = 6; i < 10; i++) {
                second.add(UserRemoved.of(tenant, "w" + i, refused, 1, T0.plusSeconds(21), RemovalReason.HARD_DELETED));
            }
            second.add(store.completed(refused, SyncMode.DELTA, 1, T0.plusSeconds(22)));
            publish(second);
            topics.awaitEvents(WAIT, e -> !decisions(e, refused).isEmpty());
            given().header("Authorization", admin).when().post(pending + "/reject?runId=" + refused)
                    .then().statusCode(200).body("rejected", equalTo(4));
            List<SyncEvent> rejected = topics.awaitEvents(WAIT, e -> decisions(e, refused).size() == 2);
            DeletionDecision rejection = decisions(rejected, refused).getLast().data();
            assertThat(rejection.decision()).isEqualTo(DeletionDecision.Decision.REJECTED);
            assertThat(rejection.decidedBy()).isEqualTo(approver);
            assertThat(rejection.byReason()).isEqualTo(Map.of("hardDeleted", 4L));
            assertThat(removals(rejected)).as("a rejected deletion never reaches a directory topic")
                    .noneMatch(r -> List.of("w6", "w7", "w8", "w9").contains(r.objectId()));
            assertThat(store.object("w6")).containsEntry("state", "active");
            assertThat(decidedBy(tenant, refused)).isEqualTo(approver);
        }
    }

    @Test
    void a_full_sync_publishes_what_it_swept_as_not_seen_and_the_swept_groups_memberships_as_removed() throws Exception {
        String tenant = "sweeping";
        StoreProbe store = new StoreProbe(dataSource, tenant);
        publish(List.of(store.started("full-1", SyncMode.FULL, 1, T0),
                new UserUpserted(tenant, "a", "full-1", 1, T0, Map.of("displayName", "A")),
                new UserUpserted(tenant, "gone", "full-1", 1, T0, Map.of("displayName", "Gone")),
                new GroupUpserted(tenant, "kept-group", "full-1", 1, T0, Map.of("displayName", "Kept")),
                new GroupUpserted(tenant, "gone-group", "full-1", 1, T0, Map.of("displayName", "Gone")),
                MembershipAdded.of(tenant, "kept-group", "full-1", 1, T0, "a", MemberType.USER),
                MembershipAdded.of(tenant, "kept-group", "full-1", 1, T0, "gone", MemberType.USER),
                MembershipAdded.of(tenant, "gone-group", "full-1", 1, T0, "a", MemberType.USER),
                store.completed("full-1", SyncMode.FULL, 1, T0.plusSeconds(1))));
        Instant t1 = T0.plusSeconds(3600);
        publish(List.of(store.started("full-2", SyncMode.FULL, 2, t1),
                new UserUpserted(tenant, "a", "full-2", 2, t1, Map.of("displayName", "A")),
                new GroupUpserted(tenant, "kept-group", "full-2", 2, t1, Map.of("displayName", "Kept")),
                MembershipAdded.of(tenant, "kept-group", "full-2", 2, t1, "a", MemberType.USER),
                store.completed("full-2", SyncMode.FULL, 2, t1.plusSeconds(1))));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object("gone")).containsEntry("state", "pendingDeletion")
                    .containsEntry("removal_reason", "notSeenInFullSync");
            assertThat(store.object("gone-group")).containsEntry("state", "pendingDeletion");
            assertThat(store.members("kept-group")).containsExactly("a");
            assertThat(store.members("gone-group")).isEmpty();
        });
        try (PublicTopics topics = new PublicTopics(bootstrapServers, tenant)) {
            List<SyncEvent> events = topics.awaitEvents(WAIT, e -> !decisions(e, "full-2").isEmpty()
                    && e.stream().filter(r -> r instanceof MembershipRemoved).count() == 2);
            assertThat(removals(events)).singleElement().satisfies(r -> {
                assertThat(r.objectId()).isEqualTo("gone");
                assertThat(r.data().reason()).isEqualTo(RemovalReason.NOT_SEEN_IN_FULL_SYNC);
                assertThat(r.runId()).isEqualTo("full-2");
                assertThat(r.epoch()).isEqualTo(2);
                assertThat(r.observedAt()).as("the run completion's").isEqualTo(t1.plusSeconds(1));
            });
            assertThat(events).filteredOn(e -> e instanceof GroupRemoved).singleElement()
                    .satisfies(g -> assertThat(((GroupRemoved) g).data().reason()).isEqualTo(RemovalReason.NOT_SEEN_IN_FULL_SYNC))
                    .extracting(SyncEvent::objectId).isEqualTo("gone-group");
            assertThat(events).filteredOn(e -> e instanceof MembershipRemoved)
                    .extracting(SyncEvent::key)
                    .containsExactlyInAnyOrder("sweeping:kept-group:gone", "sweeping:gone-group:a");
            DeletionDecision released = decisions(events, "full-2").getFirst().data();
            assertThat(released.decision()).isEqualTo(DeletionDecision.Decision.RELEASED);
            assertThat(released.byReason()).isEqualTo(Map.of("notSeenInFullSync", 2L));
        }
    }

    /** Who decided the run's held deletions, as the store recorded it (with when). */
    private String decidedBy(String tenant, String runId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement("""
                select distinct decided_by from directory.deletions
                where tenant_id = ? and run_id = ? and decided_at is not null""")) {
            q.setString(1, tenant);
            q.setString(2, runId);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).as("decided deletions of " + runId).isTrue();
                return rs.getString(1);
            }
        }
    }
}
