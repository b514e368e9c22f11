package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.directory.client.DirectoryObject;
import dev.idsync.events.DeletionDecision.Decision;
import dev.idsync.events.DeletionsDecided;
import dev.idsync.events.RemovalReason;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.ApiClient;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DESIGN invariant 6 across poller, processor, role-mapper and the public topics: a delta run that
 * soft-deletes more users than the tenant's threshold (default 10 %) leaves them active in the store, listed
 * as held for an admin, while the rest of the run (their memberships leaving groups) applies. A held
 * deletion is held everywhere: no removal of them on any public topic, role-mapper keeps them active with
 * their default role. An admin's approval removes them everywhere (the store, {@code user.removed.v2} with
 * {@code decidedBy}, role-mapper) and says so in {@code deletions.decided}; a second mass deletion that the
 * admin rejects reaches nowhere.
 */
@Order(5)
@ExtendWith(ReferenceSubscriberCheck.class)
class MassDeletionIsHeldUntilApprovedTest {

    private static final Duration SETTLE = Duration.ofMinutes(1);

    private Stack stack;
    private Tokens tokens;
    private SyncRuns runs;
    private EmulatorTenant tenant;
    private DirectoryStore store;
    private ApiClient admin;
    private RoleMapperRoles roles;
    private ReferenceSubscriber subscriber;

    @Test
    void soft_deleting_more_users_than_the_threshold_is_held_everywhere_until_approved_and_a_rejected_one_reaches_nowhere() {
        stack = Stack.get();
        tokens = new Tokens(stack);
        runs = new SyncRuns(stack, tokens);
        tenant = EmulatorTenant.create(stack, ScenarioTenant.GATE);
        tenant.seed(200, 10, 300, 1);
        store = new DirectoryStore(stack, tenant.id());
        admin = new ApiClient(stack.url(Stack.PROCESSOR), tokens.admin());
        roles = new RoleMapperRoles(stack, tokens, tenant.id());
        subscriber = ReferenceSubscriber.shared(stack);
        runs.runToCompletion(tenant.id(), "{}", SETTLE);
        DirectoryState synced = DirectoryState.fromSnapshot(tenant.snapshot());
        Eventually.noDifferences("initial sync of " + tenant.id(), () -> store.read().differencesTo(synced, 20), SETTLE);

        // 15 % of the users each time, enabled ones (so role-mapper gives them the default role): above the
        // default threshold of 10 % (idsync.yaml sets none for this tenant).
        int share = synced.users().size() * 15 / 100;
        List<String> enabled = StreamSupport.stream(tenant.snapshot().path("users").spliterator(), false)
                .filter(u -> u.path("accountEnabled").asBoolean()).map(u -> u.path("id").asText()).toList();
        List<String> approved = enabled.subList(0, share);
        List<String> rejected = enabled.subList(share, 2 * share);

        // Round 1: held, then approved.
        Held held = softDeleteAndAwaitHeld(approved);
        JsonNode decision = admin.post(pending() + "/approve", "").expect(200).body();
        assertThat(decision.path("applied").asLong()).isEqualTo(approved.size());
        Duration applied = Eventually.noDifferences("store after approval", () -> store.read().differencesTo(held.entra(), 20), SETTLE);
        assertThat(admin.get(pending()).expect(200).body().path("count").asLong()).isZero();
        DeletionsDecided approval = awaitDecision(held.runId(), Decision.APPROVED);
        assertThat(approval.data().decidedBy()).as("who approved").isNotBlank();
        assertThat(approval.data().deletions()).isEqualTo(approved.size());
        Duration rolesGone = Eventually.noDifferences("roles after approval", () -> roles.removedWithoutRoles(approved), SETTLE);
        subscriber.awaitDirectoryAgrees(tenant.id(), SETTLE);
        for (String id : approved) {
            DirectoryObject user = subscriber.replica().user(tenant.id(), id).orElseThrow();
            assertThat(user.removalReason()).as("user " + id + " on the users topic").contains(RemovalReason.SOFT_DELETED);
            assertThat(user.decidedBy()).as("decidedBy of " + id).contains(approval.data().decidedBy());
        }

        // Round 2: held, then rejected: the users stay active everywhere, nothing reaches a topic.
        Held heldAgain = softDeleteAndAwaitHeld(rejected);
        assertThat(admin.post(pending() + "/reject", "").expect(200).body().path("rejected").asLong()).isEqualTo(rejected.size());
        DeletionsDecided rejection = awaitDecision(heldAgain.runId(), Decision.REJECTED);
        assertThat(rejection.data().decidedBy()).isEqualTo(approval.data().decidedBy());
        assertThat(admin.get(pending()).expect(200).body().path("count").asLong()).isZero();
        assertThat(store.read().differencesTo(heldAgain.expectedWhileHeld(), 20)).as("store after the rejection").isEmpty();
        assertHeldEverywhere(rejected);

        Timings.report("deletion gate", ("%d of %d users soft-deleted: held %d ms after the run was triggered; store = snapshot %d ms after"
                + " approval, their roles gone %d ms later; a second mass deletion rejected: active everywhere")
                .formatted(approved.size(), synced.users().size(), held.heldAfter().toMillis(), applied.toMillis(), rolesGone.toMillis()));
    }

    /** What a held round left: its run, Entra's state after it, the store's expected state while held, and how long it took. */
    private record Held(String runId, DirectoryState entra, DirectoryState expectedWhileHeld, Duration heldAfter) {
    }

    /** Soft-deletes the users in Entra, runs a delta run and checks that their deletion is held, and held everywhere. */
    private Held softDeleteAndAwaitHeld(List<String> users) {
        DirectoryState before = store.read();
        SyncRuns.awaitNextSecond();
        tenant.mutate(users.stream().map(id -> Map.<String, Object>of("op", "softDeleteUser", "id", id)).toList());
        Instant t0 = Instant.now();
        String runId = runs.runToCompletion(tenant.id(), "{}", SETTLE).path("runId").asText();
        Eventually.noDifferences("held deletions", () -> {
            Set<String> held = new TreeSet<>();
            admin.get(pending()).expect(200).body().path("items").forEach(i -> held.add(i.path("objectId").asText()));
            return held.equals(new TreeSet<>(users)) ? List.of() : List.of("held " + held.size() + " of " + users.size());
        }, SETTLE);
        Duration heldAfter = Duration.between(t0, Instant.now());

        // Held: the users are still active with their attributes; everything else of the run applied.
        DirectoryState now = DirectoryState.fromSnapshot(tenant.snapshot());
        DirectoryState expectedWhileHeld = new DirectoryState(new TreeMap<>(now.users()), new TreeSet<>(now.pendingUsers()),
                now.groups(), now.pendingGroups(), now.roles(), now.groupMembers(), now.roleMembers(), now.placeholders());
        users.forEach(id -> {
            expectedWhileHeld.pendingUsers().remove(id);
            expectedWhileHeld.users().put(id, before.users().get(id));
        });
        Eventually.noDifferences("store while held", () -> store.read().differencesTo(expectedWhileHeld, 20), SETTLE);
        JsonNode status = admin.get("/api/tenants/" + tenant.id() + "/sync-status").expect(200).body();
        assertThat(status.path("heldDeletions").asLong()).isEqualTo(users.size());
        assertThat(awaitDecision(runId, Decision.HELD).data().deletions()).isEqualTo(users.size());
        assertHeldEverywhere(users);
        return new Held(runId, now, expectedWhileHeld, heldAfter);
    }

    /** No removal of the users on any public topic, the replica holds them active, role-mapper keeps them active with User. */
    private void assertHeldEverywhere(List<String> users) {
        subscriber.awaitDirectoryAgrees(tenant.id(), SETTLE);
        assertThat(TopicRecords.removalsOf(stack.bootstrapServers(), tenant.id(), users)).as("removals on the public topics").isEmpty();
        users.forEach(id -> assertThat(subscriber.replica().user(tenant.id(), id).orElseThrow().isActive()).as("user " + id).isTrue());
        Eventually.noDifferences("roles of the held users", () -> {
            List<String> out = new ArrayList<>();
            for (String id : users) {
                JsonNode answer = roles.answer(id);
                if (!"active".equals(answer.path("userState").asText()) || !roles.effective(id).contains(RoleMapperRoles.DEFAULT)) {
                    out.add("role-mapper shows held user " + id + " as " + answer);
                }
            }
            return out;
        }, SETTLE);
    }

    private DeletionsDecided awaitDecision(String runId, Decision decision) {
        List<DeletionsDecided> found = new ArrayList<>();
        Eventually.noDifferences("deletions.decided " + decision.json() + " of run " + runId, () -> {
            found.clear();
            TopicRecords.decisions(stack.bootstrapServers(), tenant.id()).stream()
                    .filter(d -> runId.equals(d.runId()) && d.data().decision() == decision).forEach(found::add);
            return found.size() == 1 ? List.of() : List.of(found.size() + " such decisions");
        }, SETTLE);
        return found.get(0);
    }

    private String pending() {
        return "/api/tenants/" + tenant.id() + "/pending-deletions";
    }
}
