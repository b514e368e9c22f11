package dev.idsync.roles;

import static dev.idsync.roles.RolesTestSupport.TENANT;
import static dev.idsync.roles.RolesTestSupport.assignments;
import static dev.idsync.roles.RolesTestSupport.bearer;
import static dev.idsync.roles.RolesTestSupport.eventsFor;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.api.Roles;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.Removal;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.RoleAssignmentRevoked;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Directory events on the real public topics (as delta-processor publishes what it decided: v2 topics,
 * keyed per object and per membership) become application roles with their sources, and every actual
 * change becomes one event on the compacted role-assignment topic, keyed per assignment.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class FederatedRolesFromDirectoryEventsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;
    @Inject
    AgroalDataSource dataSource;

    private final String user = "u-" + UUID.randomUUID();
    private final String hrGroup = UUID.randomUUID().toString();

    @Test
    void a_user_added_to_App_Contoso_HR_gets_HR_naming_the_group_and_User_loses_only_HR_when_removed_and_keeps_manual_Accounting() {
        publish(group(hrGroup, "App-Contoso-HR", 0), activeUser(user, 0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(assignments(emulator, user)).containsExactly("User:federated:default"));
        given().header("Authorization", bearer(emulator, Roles.WRITER)).contentType("application/json").body("{}")
                .when().put("/api/tenants/" + TENANT + "/users/" + user + "/roles/Accounting").then().statusCode(201);

        publish(MembershipAdded.of(TENANT, hrGroup, "run-2", 0, T0.plusSeconds(10), user, MemberType.USER));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, user)).containsExactly(
                "Accounting:manual:manual", "HR:federated:group:App-Contoso-HR", "User:federated:default"));

        publish(MembershipRemoved.of(TENANT, hrGroup, "run-3", 0, T0.plusSeconds(20), user, MemberType.USER));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, user)).containsExactly(
                "Accounting:manual:manual", "User:federated:default"));

        List<String> events = eventsFor(bootstrap, user, e -> e.size() >= 4);
        assertThat(events).containsExactlyInAnyOrder(
                "+User:federated", "+Accounting:manual", "+HR:federated:" + hrGroup, "-HR:federated:" + hrGroup);
        assertThat(RolesTestSupport.ofAssignment(events, "HR:federated:" + hrGroup))
                .containsExactly("+HR:federated:" + hrGroup, "-HR:federated:" + hrGroup);
    }

    @Test
    void a_role_held_through_two_groups_stays_until_the_user_has_left_both() {
        String explicitAccounting = "0d7a1c2e-5b4f-4e3a-9c1d-8e2f3a4b5c6d"; // idsync-test.yaml: Accounting, edit
        String patternAccounting = UUID.randomUUID().toString();
        publish(activeUser(user, 0), group(patternAccounting, "app-contoso-accounting", 0),
                MembershipAdded.of(TENANT, explicitAccounting, "run-1", 0, T0, user, MemberType.USER),
                MembershipAdded.of(TENANT, patternAccounting, "run-1", 0, T0, user, MemberType.USER));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, user)).containsExactly(
                "Accounting:federated:group:" + explicitAccounting, "Accounting:federated:group:app-contoso-accounting",
                "User:federated:default"));

        publish(MembershipRemoved.of(TENANT, patternAccounting, "run-2", 0, T0.plusSeconds(10), user, MemberType.USER));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, user)).containsExactly(
                "Accounting:federated:group:" + explicitAccounting, "User:federated:default"));

        publish(MembershipRemoved.of(TENANT, explicitAccounting, "run-3", 0, T0.plusSeconds(20), user, MemberType.USER));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, user))
                .containsExactly("User:federated:default"));
        given().header("Authorization", bearer(emulator, Roles.READER))
                .when().get("/api/tenants/" + TENANT + "/users/" + user + "/roles").then()
                .body("roles.find { it.role == 'User' }.active", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void a_disabled_or_removed_user_loses_federated_roles_and_keeps_manual_ones_reported_inactive() {
        publish(activeUser(user, 0), group(hrGroup, "App-Contoso-HR", 0),
                MembershipAdded.of(TENANT, hrGroup, "run-1", 0, T0, user, MemberType.USER));
        given().header("Authorization", bearer(emulator, Roles.WRITER)).contentType("application/json")
                .body("{\"accessLevel\":\"read\"}")
                .when().put("/api/tenants/" + TENANT + "/users/" + user + "/roles/Admin").then().statusCode(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, user)).containsExactly(
                "Admin:manual:manual", "HR:federated:group:App-Contoso-HR", "User:federated:default"));

        publish(new UserUpserted(TENANT, user, "run-2", 0, T0.plusSeconds(10), Map.of("accountEnabled", false)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(assignments(emulator, user)).containsExactly("Admin:manual:manual"));
        given().header("Authorization", bearer(emulator, Roles.READER))
                .when().get("/api/tenants/" + TENANT + "/users/" + user + "/roles").then().statusCode(200)
                .body("userState", org.hamcrest.Matchers.equalTo("disabled"))
                .body("roles[0].active", org.hamcrest.Matchers.equalTo(false));

        // A minimal delta (no accountEnabled) keeps the account disabled; enabling it brings the roles back.
        publish(new UserUpserted(TENANT, user, "run-3", 0, T0.plusSeconds(20), Map.of("displayName", "Renamed")));
        publish(new UserUpserted(TENANT, user, "run-4", 0, T0.plusSeconds(30), Map.of("accountEnabled", true)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, user)).containsExactly(
                "Admin:manual:manual", "HR:federated:group:App-Contoso-HR", "User:federated:default"));

        publish(UserRemoved.of(TENANT, user, "run-5", 0, T0.plusSeconds(40), RemovalReason.OUT_OF_SCOPE));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(assignments(emulator, user)).containsExactly("Admin:manual:manual"));
    }

    @Test
    void renaming_a_group_re_evaluates_pattern_mappings_for_its_members() {
        publish(activeUser(user, 0), group(hrGroup, "Payroll team", 0),
                MembershipAdded.of(TENANT, hrGroup, "run-1", 0, T0, user, MemberType.USER));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(assignments(emulator, user)).containsExactly("User:federated:default"));

        publish(group(hrGroup, "App-Contoso-HR", 10));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, user))
                .containsExactly("HR:federated:group:App-Contoso-HR", "User:federated:default"));

        publish(group(hrGroup, "Former HR", 20));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(assignments(emulator, user)).containsExactly("User:federated:default"));
    }

    @Test
    void events_on_the_topic_match_the_store_and_a_replayed_run_publishes_nothing() throws SQLException {
        List<SyncEvent> run = List.of(activeUser(user, 0), group(hrGroup, "App-Contoso-HR", 0),
                MembershipAdded.of(TENANT, hrGroup, "run-1", 0, T0, user, MemberType.USER));
        publish(run.toArray(SyncEvent[]::new));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, user))
                .containsExactly("HR:federated:group:App-Contoso-HR", "User:federated:default"));
        List<String> first = eventsFor(bootstrap, user, e -> e.size() >= 2);

        // The same events again (delta-processor's relay repeating what Kafka had not acknowledged), then no-op changes of
        // the same objects: same keys, so once those are stored the replay before them was applied too.
        publish(run.toArray(SyncEvent[]::new));
        publish(activeUser(user, 6), group(hrGroup, "App-Contoso-HR", 7),
                MembershipAdded.of(TENANT, hrGroup, "run-2", 0, T0.plusSeconds(5), user, MemberType.USER));
        await().atMost(Duration.ofSeconds(30)).until(() -> observedAt("users", "user_id", user).equals(T0.plusSeconds(6))
                && observedAt("groups", "group_id", hrGroup).equals(T0.plusSeconds(7))
                && groupMembershipObservedAt(hrGroup, user).equals(T0.plusSeconds(5))
                && pendingOutbox() == 0);

        List<String> all = RolesTestSupport.describeEvents(RolesTestSupport.assignmentRecordsToTheEnd(bootstrap), user);
        assertThat(all).containsExactlyInAnyOrderElementsOf(first)
                .containsExactlyInAnyOrder("+User:federated", "+HR:federated:" + hrGroup);
        assertThat(storedAssignments(user)).containsExactlyInAnyOrder("User:federated", "HR:federated:" + hrGroup);
    }

    @Test
    void a_user_removed_because_a_full_sync_did_not_see_them_loses_every_role_and_is_shown_removed_without_roles() {
        publish(activeUser(user, 0), group(hrGroup, "App-Contoso-HR", 0),
                MembershipAdded.of(TENANT, hrGroup, "run-1", 0, T0, user, MemberType.USER));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, user))
                .containsExactly("HR:federated:group:App-Contoso-HR", "User:federated:default"));

        // What delta-processor publishes once an administrator approved the held sweep of a full sync.
        publish(new UserRemoved(TENANT, user, "run-full", 1, T0.plusSeconds(10),
                new Removal(RemovalReason.NOT_SEEN_IN_FULL_SYNC, "admin@contoso.example")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .header("Authorization", bearer(emulator, Roles.READER))
                .when().get("/api/tenants/" + TENANT + "/users/" + user + "/roles").then().statusCode(200)
                .body("userState", org.hamcrest.Matchers.equalTo("removed"))
                .body("roles", org.hamcrest.Matchers.empty()));

        assertThat(eventsFor(bootstrap, user, e -> e.size() >= 4)).containsExactlyInAnyOrder(
                "+User:federated", "+HR:federated:" + hrGroup, "-HR:federated:" + hrGroup, "-User:federated");
        await().atMost(Duration.ofSeconds(30)).until(() -> pendingOutbox() == 0);
        assertThat(RolesTestSupport.folded(RolesTestSupport.assignmentRecordsToTheEnd(bootstrap), user)).isEmpty();
    }

    @Test
    void a_reader_keeping_the_last_record_per_key_of_the_role_assignment_topic_holds_what_the_api_answers() throws SQLException {
        String explicitAccounting = "0d7a1c2e-5b4f-4e3a-9c1d-8e2f3a4b5c6d"; // idsync-test.yaml: Accounting, edit
        publish(activeUser(user, 0), group(hrGroup, "App-Contoso-HR", 0),
                MembershipAdded.of(TENANT, hrGroup, "run-1", 0, T0, user, MemberType.USER),
                MembershipAdded.of(TENANT, explicitAccounting, "run-1", 0, T0, user, MemberType.USER));
        String writer = bearer(emulator, Roles.WRITER);
        String rolesOfUser = "/api/tenants/" + TENANT + "/users/" + user + "/roles/";
        given().header("Authorization", writer).contentType("application/json").body("{\"accessLevel\":\"read\"}")
                .when().put(rolesOfUser + "Admin").then().statusCode(201);
        // Another access level is a revocation and a grant of the same assignment: one key, the grant last.
        given().header("Authorization", writer).contentType("application/json").body("{\"accessLevel\":\"edit\"}")
                .when().put(rolesOfUser + "Admin").then().statusCode(201);
        given().header("Authorization", writer).contentType("application/json").body("{}")
                .when().put(rolesOfUser + "HR").then().statusCode(201);
        given().header("Authorization", writer).when().delete(rolesOfUser + "HR").then().statusCode(204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, user)).containsExactly(
                "Accounting:federated:group:" + explicitAccounting, "Admin:manual:manual",
                "HR:federated:group:App-Contoso-HR", "User:federated:default"));
        publish(MembershipRemoved.of(TENANT, hrGroup, "run-2", 0, T0.plusSeconds(10), user, MemberType.USER));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, user)).containsExactly(
                "Accounting:federated:group:" + explicitAccounting, "Admin:manual:manual", "User:federated:default"));
        await().atMost(Duration.ofSeconds(30)).until(() -> pendingOutbox() == 0);

        List<ConsumerRecord<String, SyncEvent>> records = RolesTestSupport.assignmentRecordsToTheEnd(bootstrap);
        List<String> api = RolesTestSupport.assignmentSlots(emulator, user);
        assertThat(api).containsExactly("Accounting:federated:" + explicitAccounting + ":edit", "Admin:manual::edit",
                "User:federated::");
        assertThat(RolesTestSupport.folded(records, user)).isEqualTo(api);
        // Every revocation has the key of a grant before it, so compaction keeps the revocation as that
        // assignment's last word instead of leaving the grant behind under a key of its own.
        List<ConsumerRecord<String, SyncEvent>> ofUser = records.stream()
                .filter(r -> r.value().objectId().equals(user)).toList();
        for (int i = 0; i < ofUser.size(); i++) {
            if (ofUser.get(i).value() instanceof RoleAssignmentRevoked) {
                String key = ofUser.get(i).key();
                assertThat(ofUser.subList(0, i)).as("a grant before the revocation keyed %s", key)
                        .anyMatch(r -> r.key().equals(key) && r.value() instanceof RoleAssignmentGranted);
            }
        }
        assertThat(ofUser).filteredOn(r -> r.value() instanceof RoleAssignmentRevoked).hasSize(3);
    }

    private Instant observedAt(String table, String idColumn, String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select observed_at from roles." + table + " where tenant_id = ? and " + idColumn + " = ?")) {
            q.setString(1, TENANT);
            q.setString(2, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1).toInstant() : Instant.EPOCH;
            }
        }
    }

    private long pendingOutbox() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("select count(*) from roles.outbox");
                ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Instant groupMembershipObservedAt(String group, String member) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select observed_at from roles.group_members where tenant_id = ? and group_id = ? and member_id = ?")) {
            q.setString(1, TENANT);
            q.setString(2, group);
            q.setString(3, member);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1).toInstant() : Instant.EPOCH;
            }
        }
    }

    private List<String> storedAssignments(String member) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select role, source, group_id from roles.role_assignments where tenant_id = ? and user_id = ?")) {
            q.setString(1, TENANT);
            q.setString(2, member);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + ":" + rs.getString(2) + (rs.getString(3).isEmpty() ? "" : ":" + rs.getString(3)));
                }
            }
        }
        return rows;
    }

    private void publish(SyncEvent... events) {
        RolesTestSupport.publish(bootstrap, List.of(events));
    }

    private static UserUpserted activeUser(String id, int second) {
        Map<String, Object> data = new HashMap<>();
        data.put("displayName", "Test " + id);
        data.put("accountEnabled", true);
        return new UserUpserted(TENANT, id, "run-1", 0, T0.plusSeconds(second), data);
    }

    private static GroupUpserted group(String id, String name, int second) {
        return new GroupUpserted(TENANT, id, "run-" + second, 0, T0.plusSeconds(second), Map.of("displayName", name));
    }
}
