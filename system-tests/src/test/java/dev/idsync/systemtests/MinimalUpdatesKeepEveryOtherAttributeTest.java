package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.events.Topics;
import dev.idsync.events.UserUpserted;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DESIGN invariant 13 end to end, "absent is not null": Graph promises only "at least the updated
 * properties", and the emulator tenant here answers every update of a delta round with only the changed
 * ones. A changed jobTitle and an attribute cleared explicitly to {@code null} then leave every other
 * attribute as it was — in the store, on the public users topic (full objects, the explicit null included)
 * and for role-mapper (the users stay active with the same roles).
 */
@Order(14)
@ExtendWith(ReferenceSubscriberCheck.class)
class MinimalUpdatesKeepEveryOtherAttributeTest {

    private static final Duration SETTLE = Duration.ofMinutes(1);
    /** Attributes the poller selects by default that a generated user may hold, to clear one of them. */
    private static final List<String> CLEARABLE = List.of("officeLocation", "mobilePhone", "department", "city");

    @Test
    void a_minimal_update_changes_only_what_graph_sent_and_an_explicit_null_clears_in_the_store_the_topic_and_role_mapper() {
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        SyncRuns runs = new SyncRuns(stack, tokens);
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.MINIMAL_UPDATES);
        tenant.seed(100, 6, 150, 1);
        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        runs.runToCompletion(tenant.id(), "{}", SETTLE);
        DirectoryState synced = DirectoryState.fromSnapshot(tenant.snapshot());
        Eventually.noDifferences("initial sync of " + tenant.id(), () -> store.read().differencesTo(synced, 20), SETTLE);

        // Eight users get a new jobTitle; a ninth loses an attribute it has.
        List<JsonNode> enabled = StreamSupport.stream(tenant.snapshot().path("users").spliterator(), false)
                .filter(u -> u.path("accountEnabled").asBoolean()).toList();
        List<String> retitled = enabled.subList(0, 8).stream().map(u -> u.path("id").asText()).toList();
        JsonNode clearedUser = enabled.subList(8, enabled.size()).stream()
                .filter(u -> CLEARABLE.stream().anyMatch(a -> u.path(a).isTextual())).findFirst().orElseThrow();
        String cleared = clearedUser.path("id").asText();
        String clearedAttribute = CLEARABLE.stream().filter(a -> clearedUser.path(a).isTextual()).findFirst().orElseThrow();
        List<String> changed = new ArrayList<>(retitled);
        changed.add(cleared);

        // Their roles: User and what their App-Minimalco-* groups give, before and after (no membership changes).
        RoleMapperRoles roles = new RoleMapperRoles(stack, tokens, tenant.id());
        Map<String, Set<String>> appRoles = RoleMapperRoles.appGroupRoles(tenant.snapshot(), ScenarioTenant.MINIMAL_UPDATES);
        Function<String, Set<String>> expectedRoles = id -> {
            Set<String> all = new TreeSet<>(appRoles.getOrDefault(id, Set.of()));
            all.add(RoleMapperRoles.DEFAULT);
            return all;
        };
        Eventually.noDifferences("roles before the updates", () -> roles.activeWith(changed, expectedRoles), SETTLE);
        Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
        for (String id : changed) {
            expected.put(id, new HashMap<>(store.object(id).orElseThrow().attributes()));
        }
        for (int i = 0; i < retitled.size(); i++) {
            expected.get(retitled.get(i)).put("jobTitle", "Minimal title " + i);
        }
        expected.get(cleared).put(clearedAttribute, null);

        tenant.settings(Map.of("minimalUpdateShare", 1.0));
        SyncRuns.awaitNextSecond();
        List<Map<String, Object>> ops = new ArrayList<>();
        for (int i = 0; i < retitled.size(); i++) {
            ops.add(Map.of("op", "updateUser", "id", retitled.get(i), "properties", Map.of("jobTitle", "Minimal title " + i)));
        }
        Map<String, Object> toNull = new HashMap<>();
        toNull.put(clearedAttribute, null);
        ops.add(Map.of("op", "updateUser", "id", cleared, "properties", toNull));
        tenant.mutate(ops);
        String runId = runs.runToCompletion(tenant.id(), "{}", SETTLE).path("runId").asText();

        // Graph really answered minimally: the run's observations of these users carry only the change.
        List<UserUpserted> observed = TopicRecords.events(stack.bootstrapServers(), Topics.GRAPH_OBSERVATIONS, tenant.id()).stream()
                .filter(e -> e instanceof UserUpserted && runId.equals(e.runId()) && changed.contains(e.objectId()))
                .map(UserUpserted.class::cast).toList();
        assertThat(observed).as("observations of the changed users in the delta run").hasSize(changed.size());
        observed.forEach(o -> assertThat(o.data()).as("observation of " + o.objectId()).doesNotContainKey("displayName")
                .containsKey(o.objectId().equals(cleared) ? clearedAttribute : "jobTitle"));
        assertThat(observed.stream().filter(o -> o.objectId().equals(cleared)).findFirst().orElseThrow().data())
                .containsEntry(clearedAttribute, null);

        // The store: the whole tenant equals the snapshot, each changed user exactly its old attributes plus the change.
        DirectoryState entra = DirectoryState.fromSnapshot(tenant.snapshot());
        Duration stored = Eventually.noDifferences("store after minimal updates", () -> store.read().differencesTo(entra, 20), SETTLE);
        for (String id : changed) {
            assertThat(store.object(id).orElseThrow().attributes()).as("stored user " + id).isEqualTo(expected.get(id));
        }

        // The public users topic: the full objects, the explicit null included.
        ReferenceSubscriber subscriber = ReferenceSubscriber.shared(stack);
        subscriber.awaitDirectoryAgrees(tenant.id(), SETTLE);
        for (String id : changed) {
            assertThat(subscriber.replica().user(tenant.id(), id).orElseThrow().attributes()).as("user " + id + " on the users topic")
                    .isEqualTo(expected.get(id));
        }
        assertThat(subscriber.replica().user(tenant.id(), cleared).orElseThrow().attributes()).containsEntry(clearedAttribute, null);

        // role-mapper: still active, the same roles.
        Eventually.noDifferences("roles after minimal updates", () -> roles.activeWith(changed, expectedRoles), SETTLE);

        Timings.report("minimal updates", "%d users updated minimally (%d jobTitle, 1 %s cleared): store equal %d ms after the run"
                .formatted(changed.size(), retitled.size(), clearedAttribute, stored.toMillis()));
    }
}
