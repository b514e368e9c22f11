package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A full sync reads the tenant from scratch in a new epoch: objects it no longer sees (deleted in Entra
 * while nobody ran a delta) are swept to pending deletion through the gate, their memberships go, and
 * everything else equals the snapshot.
 */
@Order(6)
class FullSyncSweepTest {

    private static final Duration SETTLE = Duration.ofMinutes(1);

    @Test
    void a_full_sync_sweeps_users_deleted_in_entra_to_pending_and_leaves_the_rest_equal_to_the_tenant() {
        Stack stack = Stack.get();
        SyncRuns runs = new SyncRuns(stack, new Tokens(stack));
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
        Instant t0 = Instant.now();
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
        Timings.report("full sync sweep", "full run %d ms (API durationMillis %d), store swept and equal %d ms after it ended"
                .formatted(Duration.between(t0, Instant.now()).minus(swept).toMillis(), run.path("durationMillis").asLong(),
                        swept.toMillis()));
    }
}
