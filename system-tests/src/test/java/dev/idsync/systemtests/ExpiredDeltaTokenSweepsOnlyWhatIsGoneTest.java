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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scenario 1 of the issue: Graph forgets the delta token (410 Gone, or 400 syncStateNotFound) after users
 * were deleted, updated and taken out of groups. ONE delta run resyncs (a new initial round in a new epoch)
 * and, since an initial round cannot report a deletion, sweeps what it no longer saw: exactly the deleted
 * users become pending deletion ({@code notSeenInFullSync}, reversible), nothing else; five of 500 is under
 * the threshold, so nothing is held; role-mapper takes their roles; the public topics say they left.
 * Once with every token expired (both answers), once with only the users' token expired while the groups'
 * still works (the groups round stays a delta round, which reports the membership changes itself).
 */
@Order(13)
@ExtendWith(ReferenceSubscriberCheck.class)
class ExpiredDeltaTokenSweepsOnlyWhatIsGoneTest {

    private static final Duration SETTLE = Duration.ofMinutes(1);

    /** How the token expires: Graph's answer, and which resources' tokens (all when empty). */
    enum Expiry {
        EVERY_TOKEN_GONE(ScenarioTenant.EXPIRED_GONE, "GONE", List.of()),
        EVERY_TOKEN_SYNC_STATE_NOT_FOUND(ScenarioTenant.EXPIRED_SYNC_STATE, "SYNC_STATE_NOT_FOUND", List.of()),
        ONLY_THE_USERS_TOKEN_GONE(ScenarioTenant.EXPIRED_USERS_ONLY, "GONE", List.of("users"));

        final ScenarioTenant tenant;
        final String response;
        final List<String> resources;

        Expiry(ScenarioTenant tenant, String response, List<String> resources) {
            this.tenant = tenant;
            this.response = response;
            this.resources = resources;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Expiry.class)
    void after_an_expired_delta_token_one_delta_run_sweeps_exactly_the_deleted_users_and_holds_nothing(Expiry expiry) {
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        SyncRuns runs = new SyncRuns(stack, tokens);
        EmulatorTenant tenant = EmulatorTenant.create(stack, expiry.tenant);
        tenant.seed(500, 30, 1_000, 2);
        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        runs.runToCompletion(tenant.id(), "{}", SETTLE);
        DirectoryState synced = DirectoryState.fromSnapshot(tenant.snapshot());
        Eventually.noDifferences("initial sync of " + tenant.id(), () -> store.read().differencesTo(synced, 20), SETTLE);

        // Chosen from the tenant: two memberships of a small group, and six enabled users outside it.
        JsonNode before = tenant.snapshot();
        JsonNode group = StreamSupport.stream(before.path("groups").spliterator(), false)
                .filter(g -> g.path("members").size() >= 2)
                .min(Comparator.comparingInt(g -> g.path("members").size())).orElseThrow();
        Set<String> inGroup = new TreeSet<>();
        group.path("members").forEach(m -> inGroup.add(m.asText()));
        List<String> leaving = inGroup.stream().limit(2).toList();
        List<String> users = StreamSupport.stream(before.path("users").spliterator(), false)
                .filter(u -> u.path("accountEnabled").asBoolean()).map(u -> u.path("id").asText())
                .filter(id -> !inGroup.contains(id)).limit(6).toList();
        List<String> softDeleted = users.subList(0, 3);
        List<String> hardDeleted = users.subList(3, 5);
        String updated = users.get(5);
        List<String> gone = Stream.concat(softDeleted.stream(), hardDeleted.stream()).toList();
        RoleMapperRoles roles = new RoleMapperRoles(stack, tokens, tenant.id());
        Eventually.noDifferences("the default role of the users to delete", () -> gone.stream()
                .filter(u -> !roles.effective(u).contains(RoleMapperRoles.DEFAULT)).map(u -> "no User role yet: " + u).toList(), SETTLE);

        SyncRuns.awaitNextSecond();
        List<Map<String, Object>> ops = new ArrayList<>();
        softDeleted.forEach(id -> ops.add(Map.of("op", "softDeleteUser", "id", id)));
        hardDeleted.forEach(id -> ops.add(Map.of("op", "hardDeleteUser", "id", id)));
        ops.add(Map.of("op", "updateUser", "id", updated, "properties", Map.of("jobTitle", "Resynced title")));
        leaving.forEach(m -> ops.add(Map.of("op", "removeMember", "groupId", group.path("id").asText(), "memberId", m)));
        tenant.mutate(ops);
        tenant.invalidateDeltaTokens(expiry.response, expiry.resources);

        Instant t0 = Instant.now();
        JsonNode run = runs.runToCompletion(tenant.id(), "{}", SETTLE);
        assertThat(run.path("counts").path("resyncs").asLong()).as("the run resynced: " + run).isPositive();

        // The store: the snapshot, and the five users pending deletion (an initial round cannot tell how they went).
        DirectoryState now = DirectoryState.fromSnapshot(tenant.snapshot());
        DirectoryState expected = new DirectoryState(now.users(), new TreeSet<>(now.pendingUsers()), now.groups(),
                now.pendingGroups(), now.roles(), now.groupMembers(), now.roleMembers(), new TreeSet<>());
        expected.pendingUsers().addAll(hardDeleted);
        Duration converged = Eventually.noDifferences("store after the resync", () -> store.read().differencesTo(expected, 20), SETTLE);
        for (String id : gone) {
            DirectoryStore.StoredObject o = store.object(id).orElseThrow();
            assertThat(o.state() + " " + o.removalReason()).as("user " + id).isEqualTo("pendingDeletion notSeenInFullSync");
        }
        assertThat(store.object(updated).orElseThrow().attributes()).containsEntry("jobTitle", "Resynced title");

        // Nothing held: 5 of 500 is under the threshold; the gate released exactly these five.
        ApiClient admin = new ApiClient(stack.url(Stack.PROCESSOR), tokens.admin());
        assertThat(admin.get("/api/tenants/" + tenant.id() + "/pending-deletions").expect(200).body().path("count").asLong())
                .as("held deletions").isZero();
        String runId = run.path("runId").asText();
        Eventually.noDifferences("deletions.decided of the run", () -> {
            List<DeletionsDecided> decided = TopicRecords.decisions(stack.bootstrapServers(), tenant.id()).stream()
                    .filter(d -> runId.equals(d.runId())).toList();
            return decided.size() == 1 && decided.get(0).data().decision() == Decision.RELEASED
                    && decided.get(0).data().deletions() == gone.size() ? List.of() : List.of("decisions of " + runId + ": " + decided);
        }, SETTLE);

        // role-mapper: the five are removed and hold no role.
        Duration rolesGone = Eventually.noDifferences("roles of the swept users", () -> roles.removedWithoutRoles(gone), SETTLE);

        // The public topics: the five left with the store's reason, the update is there as a full object.
        ReferenceSubscriber subscriber = ReferenceSubscriber.shared(stack);
        subscriber.awaitDirectoryAgrees(tenant.id(), SETTLE);
        for (String id : gone) {
            DirectoryObject user = subscriber.replica().user(tenant.id(), id).orElseThrow();
            assertThat(user.removalReason()).as("user " + id + " on the users topic").contains(RemovalReason.NOT_SEEN_IN_FULL_SYNC);
        }
        assertThat(subscriber.replica().user(tenant.id(), updated).orElseThrow().attributes())
                .containsEntry("jobTitle", "Resynced title").containsKeys("displayName", "userPrincipalName");

        Timings.report("expired delta token", ("%s: one delta run (%d resyncs) %d ms; store = snapshot + 5 pending %d ms after it"
                + " ended, their roles gone %d ms later; %d ms from the trigger to the replica's agreement")
                .formatted(expiry, run.path("counts").path("resyncs").asLong(), run.path("durationMillis").asLong(),
                        converged.toMillis(), rolesGone.toMillis(), Duration.between(t0, Instant.now()).toMillis()));
    }
}
