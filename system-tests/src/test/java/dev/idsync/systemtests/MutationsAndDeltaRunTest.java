package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore.StoredObject;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import dev.idsync.systemtests.topics.ReferenceSubscriberCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Changes in Entra reach the store through delta runs: updates, soft deletion (pending), restore, hard
 * deletion, memberships removed and added, and a new user seen first as a member by a groups-only run
 * (a placeholder) and then filled by the users run. After each round the store equals the new snapshot.
 */
@Order(2)
@ExtendWith(ReferenceSubscriberCheck.class)
class MutationsAndDeltaRunTest {

    private static final Duration CONVERGE = Duration.ofMinutes(2);

    @Test
    void updates_deletions_restores_memberships_and_a_placeholder_reach_the_store_through_delta_runs() {
        Stack stack = Stack.get();
        SyncRuns runs = new SyncRuns(stack, new Tokens(stack));
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.MUTATIONS);
        tenant.seed(500, 40, 1_500, 4);
        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        runs.runToCompletion(tenant.id(), "{}", Duration.ofMinutes(2));
        converge("initial sync", tenant, store);

        // Round 1, chosen from what the tenant holds now.
        SyncRuns.awaitNextSecond();
        JsonNode before = tenant.snapshot();
        List<String> users = new ArrayList<>();
        before.path("users").forEach(u -> users.add(u.path("id").asText()));
        List<JsonNode> groups = new ArrayList<>();
        before.path("groups").forEach(groups::add);
        // Small groups: the generator also makes groups that hold nearly everyone.
        groups.sort(java.util.Comparator.comparingInt(g -> g.path("members").size()));
        JsonNode shrinking = groups.stream().filter(g -> g.path("members").size() >= 3).findFirst().orElseThrow();
        groups.remove(shrinking);
        JsonNode growing = groups.get(0);
        JsonNode joined = groups.get(1);
        List<String> removedMembers = new ArrayList<>();
        shrinking.path("members").forEach(m -> {
            if (removedMembers.size() < 3) {
                removedMembers.add(m.asText());
            }
        });
        Set<String> untouchable = new TreeSet<>(removedMembers);
        Set<String> inGrowing = new TreeSet<>();
        growing.path("members").forEach(m -> inGrowing.add(m.asText()));
        List<String> pick = users.stream().filter(u -> !untouchable.contains(u) && !inGrowing.contains(u)).limit(12).toList();
        assertThat(pick).as("users to change outside the groups whose members change").hasSize(12);
        String softDeleted = pick.get(6);
        String softDeletedThenHard = pick.get(7);
        String hardDeleted = pick.get(8);

        List<Map<String, Object>> ops = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ops.add(Map.of("op", "updateUser", "id", pick.get(i), "properties",
                    Map.of("jobTitle", "Round one title " + i, "department", "Department " + i)));
        }
        Map<String, Object> cleared = new HashMap<>();
        cleared.put("officeLocation", null);
        cleared.put("mobilePhone", null);
        ops.add(Map.of("op", "updateUser", "id", pick.get(5), "properties", cleared));
        ops.add(Map.of("op", "softDeleteUser", "id", softDeleted));
        ops.add(Map.of("op", "softDeleteUser", "id", softDeletedThenHard));
        ops.add(Map.of("op", "hardDeleteUser", "id", hardDeleted));
        removedMembers.forEach(m -> ops.add(Map.of("op", "removeMember", "groupId", shrinking.path("id").asText(), "memberId", m)));
        for (int i = 9; i < 12; i++) {
            ops.add(Map.of("op", "addMember", "groupId", growing.path("id").asText(), "memberId", pick.get(i)));
        }
        tenant.mutate(ops);
        String newcomer = tenant.mutate(List.of(Map.of("op", "createUser", "properties", Map.of(
                "userPrincipalName", "new.colleague@" + tenant.domain(), "displayName", "New Colleague",
                "mailNickname", "new.colleague", "accountEnabled", true, "jobTitle", "Newcomer")))).get(0);
        tenant.mutate(List.of(Map.of("op", "addMember", "groupId", joined.path("id").asText(), "memberId", newcomer)));

        // Groups first: the newcomer is known only as a member, so the store holds a placeholder for it.
        Instant t0 = Instant.now();
        runs.runToCompletion(tenant.id(), "{\"resources\":[\"groups\"]}", Duration.ofMinutes(1));
        Eventually.noDifferences("placeholder for the new member", () -> {
            Optional<StoredObject> o = store.object(newcomer);
            return o.isPresent() && o.get().placeholder() && store.hasMembership(joined.path("id").asText(), newcomer)
                    ? List.of() : List.of("newcomer " + newcomer + " stored as " + o);
        }, CONVERGE);
        runs.runToCompletion(tenant.id(), "{\"resources\":[\"users\"]}", Duration.ofMinutes(1));
        runs.runToCompletion(tenant.id(), "{\"resources\":[\"directoryRoles\"]}", Duration.ofMinutes(1));
        Duration round1 = converge("round 1 (updates, deletions, memberships, newcomer)", tenant, store);
        Duration round1Total = Duration.between(t0, Instant.now());
        StoredObject filled = store.object(newcomer).orElseThrow();
        assertThat(filled.placeholder()).as("the users run filled the placeholder").isFalse();
        assertThat(filled.attributes()).containsEntry("userPrincipalName", "new.colleague@" + tenant.domain());
        assertThat(store.object(softDeleted).orElseThrow().state()).isEqualTo("pendingDeletion");
        assertThat(store.object(hardDeleted).orElseThrow().state()).isEqualTo("pendingHardDeletion");

        // Round 2: restore one soft-deleted user, delete the other for good, change one more.
        SyncRuns.awaitNextSecond();
        tenant.mutate(List.of(
                Map.of("op", "restoreUser", "id", softDeleted),
                Map.of("op", "hardDeleteUser", "id", softDeletedThenHard),
                Map.of("op", "updateUser", "id", pick.get(0), "properties", Map.of("displayName", "Renamed In Round Two"))));
        Instant t1 = Instant.now();
        runs.runToCompletion(tenant.id(), "{}", Duration.ofMinutes(1));
        Duration round2 = converge("round 2 (restore, hard delete from the recycle bin, rename)", tenant, store);
        assertThat(store.object(softDeleted).orElseThrow().state()).isEqualTo("active");
        assertThat(store.object(softDeletedThenHard).orElseThrow().state()).isEqualTo("pendingHardDeletion");

        Timings.report("mutations", "round 1 (groups run, users run, roles run) store equal %d ms after the first trigger;"
                .formatted(round1Total.toMillis())
                + " round 2 delta run + convergence %d ms (store caught up %d / %d ms after the last run ended)"
                .formatted(Duration.between(t1, Instant.now()).toMillis(), round1.toMillis(), round2.toMillis()));
    }

    private static Duration converge(String what, EmulatorTenant tenant, DirectoryStore store) {
        DirectoryState entra = DirectoryState.fromSnapshot(tenant.snapshot());
        return Eventually.noDifferences(what + ": store of " + tenant.id() + " against the emulator",
                () -> store.read().differencesTo(entra, 20), CONVERGE);
    }
}
