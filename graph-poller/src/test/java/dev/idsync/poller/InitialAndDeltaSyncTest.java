package dev.idsync.poller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleMemberRemoved;
import dev.idsync.events.GroupRemoved;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.events.Topics;
import dev.idsync.poller.support.DirectoryView;
import dev.idsync.poller.support.PollerTestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InitialAndDeltaSyncTest extends PollerQuarkusTest {

    @Test
    void an_initial_sync_publishes_observations_that_fold_in_order_to_the_emulators_snapshot() {
        String tenant = "poller-initial";
        support.createTenant(tenant, 1_000, 100, 5_000, 5);

        JsonPath run = support.runToCompletion(tenant, "{\"mode\":\"delta\"}", Duration.ofMinutes(2));

        DirectoryView expected = support.snapshotView(tenant);
        DirectoryView published = DirectoryView.fold(support.observations(tenant));
        assertThat(published.users()).hasSize(1_000);
        assertThat(published.membershipCount()).isEqualTo(expected.membershipCount()).isGreaterThan(4_000);
        assertThat(published.differencesTo(expected)).isEmpty();

        String runId = run.getString("runId");
        // On the observation topic the run's markers enclose its pages: the completion follows every page.
        List<SyncEvent> observed = support.observations(tenant).stream().filter(e -> runId.equals(e.runId())).toList();
        assertThat(observed.get(0)).isInstanceOf(SyncRunStarted.class);
        assertThat(observed.get(observed.size() - 1)).isInstanceOf(SyncRunCompleted.class);
        long pageEvents = run.<String, Integer>getMap("counts").entrySet().stream()
                .filter(c -> c.getKey().contains(".") && !c.getKey().startsWith("pages.")).mapToLong(c -> c.getValue()).sum();
        assertThat(observed.subList(1, observed.size() - 1)).noneMatch(PollerTestSupport::isRunMarker)
                .hasSize((int) pageEvents);
        List<SyncEvent> runEvents = support.events(Topics.SYNC_RUNS, tenant).stream()
                .filter(e -> runId.equals(e.runId())).toList();
        assertThat(runEvents).hasSize(2);
        assertThat(runEvents.get(0)).isInstanceOf(SyncRunStarted.class);
        assertThat(runEvents.get(1)).isInstanceOfSatisfying(SyncRunCompleted.class, done -> {
            assertThat(done.data().counts()).containsEntry("user.upserted", 1_000L)
                    .containsEntry("membership.added", (long) expected.membershipCount());
            assertThat(done.epoch()).isEqualTo(run.getLong("epoch"));
        });
        assertThat(run.getLong("pages")).isGreaterThanOrEqualTo(5);
    }

    @Test
    void after_mutations_the_next_delta_run_publishes_exactly_those_changes() {
        String tenant = "poller-mutations";
        support.createTenant(tenant, 200, 20, 600, 3);
        support.runToCompletion(tenant, "{}", Duration.ofMinutes(1));
        JsonNode before = support.snapshot(tenant);
        String updated = java.util.stream.StreamSupport.stream(before.path("users").spliterator(), false)
                .filter(u -> u.hasNonNull("mobilePhone")).findFirst().orElseThrow().path("id").asText();
        String role = before.path("directoryRoles").get(0).path("id").asText();
        java.util.Set<String> roleMembers = new java.util.HashSet<>();
        before.path("directoryRoles").get(0).path("members").forEach(m -> roleMembers.add(m.asText()));
        JsonNode group0 = before.path("groups").get(0);
        java.util.Set<String> group0Members = new java.util.HashSet<>();
        group0.path("members").forEach(m -> group0Members.add(m.asText()));
        List<String> others = java.util.stream.StreamSupport.stream(before.path("users").spliterator(), false)
                .map(u -> u.path("id").asText()).filter(id -> !id.equals(updated) && !roleMembers.contains(id)
                        && !group0Members.contains(id)).limit(3).toList();
        String softDeleted = others.get(0);
        String hardDeleted = others.get(1);
        String joiner = others.get(2);
        String group = group0.path("id").asText();
        String leaver = group0.path("members").get(0).asText();
        String renamedGroup = before.path("groups").get(1).path("id").asText();
        JsonNode result = support.control().post("/_emulator/tenants/" + tenant + "/mutations", """
                {"operations":[
                  {"op":"updateUser","id":"%s","properties":{"jobTitle":"Teamleitung","mobilePhone":null}},
                  {"op":"softDeleteUser","id":"%s"},
                  {"op":"hardDeleteUser","id":"%s"},
                  {"op":"createUser","properties":{"displayName":"New Joiner","userPrincipalName":"new.joiner@%s.example","accountEnabled":true}},
                  {"op":"removeMember","groupId":"%s","memberId":"%s"},
                  {"op":"updateGroup","id":"%s","properties":{"description":"renamed"}},
                  {"op":"addRoleMember","roleId":"%s","memberId":"%s"}
                ]}""".formatted(updated, softDeleted, hardDeleted, tenant, group, leaver, renamedGroup, role, joiner));
        String created = result.path("results").get(3).path("id").asText();

        JsonPath run = support.runToCompletion(tenant, "{}", Duration.ofMinutes(1));

        List<String> expected = new java.util.ArrayList<>(List.of(
                "user.upserted " + updated,
                "user.removed " + softDeleted + " softDeleted",
                "user.removed " + hardDeleted + " hardDeleted",
                "user.upserted " + created,
                "membership.removed " + group + " " + leaver,
                "group.upserted " + renamedGroup,
                "directoryrole.member-added " + role + " " + joiner));
        // Graph reports what the deletions did to memberships too: the deleted users leave their groups and roles.
        for (String deleted : List.of(softDeleted, hardDeleted)) {
            before.path("groups").forEach(g -> g.path("members").forEach(m -> {
                if (m.asText().equals(deleted)) {
                    expected.add("membership.removed " + g.path("id").asText() + " " + deleted);
                }
            }));
            before.path("directoryRoles").forEach(r -> r.path("members").forEach(m -> {
                if (m.asText().equals(deleted)) {
                    expected.add("directoryrole.member-removed " + r.path("id").asText() + " " + deleted);
                }
            }));
        }
        // A group or role whose members changed comes with its (selected) properties, as on Graph.
        expected.stream().filter(c -> c.startsWith("membership.")).map(c -> "group.upserted " + c.split(" ")[1])
                .distinct().filter(c -> !expected.contains(c)).toList().forEach(expected::add);
        expected.stream().filter(c -> c.startsWith("directoryrole.member")).map(c -> "directoryrole.upserted " + c.split(" ")[1])
                .distinct().toList().forEach(expected::add);
        List<String> changes = support.pageObservationsOfRun(tenant, run.getString("runId")).stream()
                .map(InitialAndDeltaSyncTest::describe).toList();
        assertThat(changes).containsExactlyInAnyOrderElementsOf(expected);
        UserUpserted update = support.pageObservationsOfRun(tenant, run.getString("runId")).stream()
                .filter(e -> e instanceof UserUpserted u && u.objectId().equals(updated)).map(UserUpserted.class::cast)
                .findFirst().orElseThrow();
        assertThat(update.data()).containsEntry("jobTitle", "Teamleitung").containsEntry("mobilePhone", null);
        assertThat(DirectoryView.fold(support.observations(tenant)).differencesTo(support.snapshotView(tenant)))
                .isEmpty();
    }

    @Test
    void a_full_resync_opens_a_new_epoch_rereads_everything_and_keeps_the_replaced_token_as_backup() throws Exception {
        String tenant = "poller-full";
        support.createTenant(tenant, 150, 10, 300, 2);
        JsonPath first = support.runToCompletion(tenant, "{}", Duration.ofMinutes(1));

        JsonPath full = support.runToCompletion(tenant, "{\"mode\":\"full\"}", Duration.ofMinutes(1));

        assertThat(full.getLong("epoch")).isEqualTo(first.getLong("epoch") + 1);
        List<SyncEvent> fullEvents = support.pageObservationsOfRun(tenant, full.getString("runId"));
        assertThat(fullEvents).filteredOn(e -> e instanceof UserUpserted).hasSize(150)
                .allSatisfy(e -> assertThat(e.epoch()).isEqualTo(full.getLong("epoch")));
        SyncEvent completed = support.events(Topics.SYNC_RUNS, tenant).stream()
                .filter(e -> e instanceof SyncRunCompleted && full.getString("runId").equals(e.runId())).findFirst()
                .orElseThrow();
        assertThat(((SyncRunCompleted) completed).data().mode()).isEqualTo(SyncMode.FULL);
        assertThat(completed.epoch()).isEqualTo(full.getLong("epoch"));
        assertThat(tokenHistory(tenant)).contains("users", "groups", "directoryRoles");
    }

    @Test
    void a_dry_run_publishes_only_to_the_dry_run_topic_and_stores_no_token_and_limit_users_caps_it() throws Exception {
        String tenant = "poller-dryrun";
        support.createTenant(tenant, 120, 5, 100, 1);

        JsonPath dry = support.runToCompletion(tenant, "{\"mode\":\"dryRun\",\"resources\":[\"users\"],\"limitUsers\":25}",
                Duration.ofMinutes(1));

        List<SyncEvent> planned = support.events(Topics.DRY_RUN, tenant);
        assertThat(planned).filteredOn(e -> e instanceof UserUpserted).hasSize(25);
        assertThat(planned).filteredOn(e -> e instanceof SyncRunStarted || e instanceof SyncRunCompleted).hasSize(2);
        assertThat(support.observations(tenant)).as("nothing of a dry run is an observation").isEmpty();
        assertThat(support.events(Topics.SYNC_RUNS, tenant)).noneMatch(e -> dry.getString("runId").equals(e.runId()));
        assertThat(dry.getMap("counts")).containsEntry("user.upserted", 25);
        try (var c = dataSource.getConnection(); var q = c.prepareStatement(
                "select count(*) from delta_state where tenant_id = ? and (delta_link is not null or checkpoint_link is not null)")) {
            q.setString(1, tenant);
            try (var rs = q.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource dataSource;

    private List<String> tokenHistory(String tenant) throws java.sql.SQLException {
        try (var c = dataSource.getConnection(); var q = c.prepareStatement(
                "select resource from delta_token_history where tenant_id = ?")) {
            q.setString(1, tenant);
            List<String> out = new java.util.ArrayList<>();
            try (var rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    static String describe(SyncEvent e) {
        String type = e.ceType().substring("dev.idsync.".length(), e.ceType().lastIndexOf('.'));
        return switch (e) {
            case UserRemoved r -> type + " " + r.objectId() + " " + r.data().reason().json();
            case GroupRemoved r -> type + " " + r.objectId() + " " + r.data().reason().json();
            case MembershipAdded m -> type + " " + m.objectId() + " " + m.data().memberId();
            case MembershipRemoved m -> type + " " + m.objectId() + " " + m.data().memberId();
            case DirectoryRoleMemberAdded m -> type + " " + m.objectId() + " " + m.data().memberId();
            case DirectoryRoleMemberRemoved m -> type + " " + m.objectId() + " " + m.data().memberId();
            default -> type + " " + e.objectId();
        };
    }
}
