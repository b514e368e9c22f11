package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.events.DeletionDecision.Decision;
import dev.idsync.events.DeletionsDecided;
import dev.idsync.events.RemovalReason;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.RoleMapperRoles;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import dev.idsync.systemtests.topics.ReferenceSubscriber;
import dev.idsync.systemtests.topics.ReferenceSubscriberCheck;
import dev.idsync.systemtests.topics.TopicRecords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A full sync reads the tenant from scratch in a new epoch: objects it no longer sees (deleted in Entra
 * while nobody ran a delta) are swept to pending deletion through the gate (released: under the
 * threshold), their memberships go, and everything else equals the snapshot; role-mapper takes their roles
 * and the public users topic says they left ({@code notSeenInFullSync}).
 */
@Order(6)
@ExtendWith(ReferenceSubscriberCheck.class)
class FullSyncSweepTest {

    private static final Duration SETTLE = Duration.ofMinutes(1);

    @Test
    void a_full_sync_sweeps_users_deleted_in_entra_to_pending_and_leaves_the_rest_equal_to_the_tenant() {
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        SyncRuns runs = new SyncRuns(stack, tokens);
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.SWEEP);
        tenant.seed(100, 6, 150, 1);
        runs.runToCompletion(tenant.id(), "{}", SETTLE);
        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        DirectoryState synced = DirectoryState.fromSnapshot(tenant.snapshot());
        Eventually.noDifferences("initial sync of " + tenant.id(), () -> store.read().differencesTo(synced, 20), SETTLE);

        // Deleted for good in Entra (3 %, under the threshold) and changed, with no delta run in between.
        List<String> users = StreamSupport.stream(tenant.snapshot().path("users").spliterator(), false)
                .map(u -> u.path("id").asText()).toList();
        List<String> gone = users.subList(0, 3);
        SyncRuns.awaitNextSecond();
        tenant.mutate(List.of(
                Map.of("op", "hardDeleteUser", "id", gone.get(0)),
                Map.of("op", "hardDeleteUser", "id", gone.get(1)),
                Map.of("op", "hardDeleteUser", "id", gone.get(2)),
                Map.of("op", "updateUser", "id", users.get(3), "properties", Map.of("department", "Swept Department"))));
        JsonNode run = runs.runToCompletion(tenant.id(), "{\"mode\":\"full\"}", SETTLE);
        assertThat(run.path("epoch").asLong()).as("a full run opens a new epoch").isGreaterThan(1);

        // A full round has no removal items: the sweep finds the three. Graph cannot say how they went,
        // so they are pending deletion (reversible) rather than hard-deleted.
        DirectoryState now = DirectoryState.fromSnapshot(tenant.snapshot());
        DirectoryState expected = new DirectoryState(now.users(), new TreeSet<>(now.pendingUsers()), now.groups(),
                now.pendingGroups(), now.roles(), now.groupMembers(), now.roleMembers(), new TreeSet<>());
        expected.pendingUsers().addAll(gone);
        Duration swept = Eventually.noDifferences("store after the full sync", () -> store.read().differencesTo(expected, 20), SETTLE);
        gone.forEach(id -> assertThat(store.object(id).orElseThrow().removalReason()).isEqualTo("notSeenInFullSync"));
        assertThat(new TreeMap<>(store.object(users.get(3)).orElseThrow().attributes())).containsEntry("department", "Swept Department");

        // Under the threshold: released, not held; role-mapper takes their roles; the topics say they left.
        String runId = run.path("runId").asText();
        Eventually.noDifferences("deletions.decided of the full run", () -> {
            List<DeletionsDecided> decided = TopicRecords.decisions(stack.bootstrapServers(), tenant.id()).stream()
                    .filter(d -> runId.equals(d.runId())).toList();
            return decided.size() == 1 && decided.get(0).data().decision() == Decision.RELEASED
                    && decided.get(0).data().deletions() == gone.size() ? List.of() : List.of("decisions of " + runId + ": " + decided);
        }, SETTLE);
        RoleMapperRoles roles = new RoleMapperRoles(stack, tokens, tenant.id());
        Duration rolesGone = Eventually.noDifferences("roles of the swept users", () -> roles.removedWithoutRoles(gone), SETTLE);
        ReferenceSubscriber subscriber = ReferenceSubscriber.shared(stack);
        subscriber.awaitDirectoryAgrees(tenant.id(), SETTLE);
        gone.forEach(id -> assertThat(subscriber.replica().user(tenant.id(), id).orElseThrow().removalReason())
                .as("user " + id + " on the users topic").contains(RemovalReason.NOT_SEEN_IN_FULL_SYNC));
        assertThat(subscriber.replica().user(tenant.id(), users.get(3)).orElseThrow().attributes())
                .containsEntry("department", "Swept Department");
        Timings.report("full sync sweep", "full run (API durationMillis %d), store swept and equal %d ms after it ended, roles gone %d ms later"
                .formatted(run.path("durationMillis").asLong(), swept.toMillis(), rolesGone.toMillis()));
    }
}
