package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.ApiClient;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * DESIGN invariant 6 across poller and processor: a delta run that soft-deletes more users than the
 * tenant's threshold (default 10 %) leaves them active in the store, listed as held for an admin; the
 * rest of the run (their memberships leaving groups) applies. After the admin approves, the store equals
 * the snapshot.
 */
@Order(5)
class MassDeletionIsHeldUntilApprovedTest {

    private static final Duration SETTLE = Duration.ofMinutes(1);

    @Test
    void soft_deleting_more_users_than_the_threshold_is_held_until_an_admin_approves() {
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        SyncRuns runs = new SyncRuns(stack, tokens);
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.GATE);
        tenant.seed(200, 10, 300, 1);
        runs.runToCompletion(tenant.id(), "{}", SETTLE);
        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        DirectoryState before = DirectoryState.fromSnapshot(tenant.snapshot());
        Eventually.noDifferences("initial sync of " + tenant.id(), () -> store.read().differencesTo(before, 20), SETTLE);

        // 15 % of the users: above the default threshold of 10 % (idsync.yaml sets none for this tenant).
        List<String> deleted = StreamSupport.stream(tenant.snapshot().path("users").spliterator(), false)
                .map(u -> u.path("id").asText()).limit(before.users().size() * 15L / 100).toList();
        SyncRuns.awaitNextSecond();
        tenant.mutate(deleted.stream().map(id -> Map.<String, Object>of("op", "softDeleteUser", "id", id)).toList());
        Instant t0 = Instant.now();
        runs.runToCompletion(tenant.id(), "{}", SETTLE);

        ApiClient admin = new ApiClient(stack.url(Stack.PROCESSOR), tokens.admin());
        String pending = "/api/tenants/" + tenant.id() + "/pending-deletions";
        Eventually.noDifferences("held deletions", () -> {
            Set<String> held = new TreeSet<>();
            admin.get(pending).expect(200).body().path("items").forEach(i -> held.add(i.path("objectId").asText()));
            return held.equals(new TreeSet<>(deleted)) ? List.of() : List.of("held " + held.size() + " of " + deleted.size());
        }, SETTLE);
        Duration heldAfter = Duration.between(t0, Instant.now());

        // Held: the users are still active with their attributes; everything else of the run applied.
        DirectoryState now = DirectoryState.fromSnapshot(tenant.snapshot());
        DirectoryState expectedWhileHeld = new DirectoryState(new java.util.TreeMap<>(now.users()), new TreeSet<>(now.pendingUsers()),
                now.groups(), now.pendingGroups(), now.roles(), now.groupMembers(), now.roleMembers(), now.placeholders());
        deleted.forEach(id -> {
            expectedWhileHeld.pendingUsers().remove(id);
            expectedWhileHeld.users().put(id, before.users().get(id));
        });
        assertThat(store.read().differencesTo(expectedWhileHeld, 20)).isEmpty();
        JsonNode status = admin.get("/api/tenants/" + tenant.id() + "/sync-status").expect(200).body();
        assertThat(status.path("heldDeletions").asLong()).isEqualTo(deleted.size());

        JsonNode decision = admin.post(pending + "/approve", "").expect(200).body();
        assertThat(decision.path("applied").asLong()).isEqualTo(deleted.size());
        Duration applied = Eventually.noDifferences("store after approval", () -> store.read().differencesTo(now, 20), SETTLE);
        assertThat(admin.get(pending).expect(200).body().path("count").asLong()).isZero();
        Timings.report("deletion gate", "%d of %d users soft-deleted: held %d ms after the run was triggered; store = snapshot %d ms after approval"
                .formatted(deleted.size(), before.users().size(), heldAfter.toMillis(), applied.toMillis()));
    }
}
