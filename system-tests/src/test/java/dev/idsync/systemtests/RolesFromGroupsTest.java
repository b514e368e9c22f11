package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.events.RoleAssignment;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.RoleAssignmentRevoked;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.events.kafka.SyncEventDeserializer;
import dev.idsync.systemtests.stack.ApiClient;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.RoleMapperRoles;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 5's must-show across the real services: joining {@code App-<Tenant>-HR} in Entra gives the
 * federated HR role (naming the group) next to the default User role after one delta run; a manual
 * Accounting role set over the API survives leaving the group, which revokes only HR. The
 * role-assignment topic ({@code idsync.app.role-assignments.v2}, compacted, keyed per assignment) carries
 * exactly these changes, each under its assignment's key, and folds to what the API shows.
 */
@Order(3)
@ExtendWith(ReferenceSubscriberCheck.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolesFromGroupsTest {

    private static final Duration SETTLE = Duration.ofMinutes(1);

    private static Stack stack;
    private static Tokens tokens;
    private static SyncRuns runs;
    private static EmulatorTenant tenant;
    private static JsonNode seeded;
    /** user id → the roles its App-<Tenant>-* groups give it in the seeded tenant, as {@code role|federated|groupId}. */
    private static Map<String, Set<String>> appRolesOf;

    @BeforeAll
    static void initialSync() {
        stack = Stack.get();
        tokens = new Tokens(stack);
        runs = new SyncRuns(stack, tokens);
        tenant = EmulatorTenant.create(stack, ScenarioTenant.ROLES);
        tenant.seed(60, 8, 150, 2);
        seeded = tenant.snapshot();
        appRolesOf = RoleMapperRoles.appGroupRoles(seeded, ScenarioTenant.ROLES);
        runs.runToCompletion(tenant.id(), "{}", SETTLE);
    }

    @Test
    @Order(1)
    void after_the_initial_sync_every_enabled_user_holds_user_and_the_roles_of_its_app_groups() {
        ApiClient reader = new ApiClient(stack.url(Stack.ROLE_MAPPER), tokens.reader());
        List<String> enabled = StreamSupport.stream(seeded.path("users").spliterator(), false)
                .filter(u -> u.path("accountEnabled").asBoolean()).map(u -> u.path("id").asText()).toList();
        Eventually.noDifferences("roles of every enabled user after the initial sync", () -> {
            List<String> out = new ArrayList<>();
            for (String user : enabled) {
                Set<String> expected = plus(appRolesOf.getOrDefault(user, Set.of()), "User|federated|");
                expect(reader, "/api/tenants/" + tenant.id() + "/users/" + user + "/roles", expected)
                        .forEach(d -> out.add("user " + user + ": " + d));
            }
            return out;
        }, SETTLE);
    }

    @Test
    @Order(2)
    void joining_the_hr_group_grants_federated_hr_leaving_revokes_it_and_manual_accounting_and_user_stay() {
        String hrGroupName = "App-" + ScenarioTenant.ROLES.displayName() + "-HR";
        // The generator names its first groups App-<Tenant>-Admin/User/HR/Accounting; create HR if it did not.
        String hrGroup = StreamSupport.stream(seeded.path("groups").spliterator(), false)
                .filter(g -> hrGroupName.equals(g.path("displayName").asText())).map(g -> g.path("id").asText())
                .findFirst().orElseGet(() -> tenant.mutate(List.of(Map.of("op", "createGroup", "properties", Map.of(
                        "displayName", hrGroupName, "mailNickname", "app-hr", "securityEnabled", true)))).get(0));
        // An enabled user outside HR and Accounting.
        String user = StreamSupport.stream(seeded.path("users").spliterator(), false)
                .filter(u -> u.path("accountEnabled").asBoolean())
                .map(u -> u.path("id").asText())
                .filter(id -> appRolesOf.getOrDefault(id, Set.of()).stream()
                        .noneMatch(k -> k.startsWith("HR|") || k.startsWith("Accounting|")))
                .findFirst().orElseThrow();
        ApiClient reader = new ApiClient(stack.url(Stack.ROLE_MAPPER), tokens.reader());
        ApiClient writer = new ApiClient(stack.url(Stack.ROLE_MAPPER), tokens.writer());
        String rolesPath = "/api/tenants/" + tenant.id() + "/users/" + user + "/roles";
        // What it holds before joining: the test before checks that against the snapshot; this one
        // shows the changes, so it starts from what role-mapper reports once the default role is there.
        Eventually.noDifferences("default role after the initial sync", () -> {
            ApiClient.Response r = reader.get(rolesPath);
            return r.status() == 200 && keys(r.body()).contains("User|federated|") ? List.of()
                    : List.of("roles of " + user + ": " + r.status() + " " + r.text());
        }, SETTLE);
        Set<String> base = keys(reader.get(rolesPath).expect(200).body());

        SyncRuns.awaitNextSecond();
        tenant.mutate(List.of(Map.of("op", "addMember", "groupId", hrGroup, "memberId", user)));
        Instant joined = Instant.now();
        runs.runToCompletion(tenant.id(), "{}", SETTLE);
        Duration granted = Eventually.noDifferences("HR from the group",
                () -> expect(reader, rolesPath, plus(base, "HR|federated|" + hrGroup)), SETTLE);
        Duration grantedAfterJoin = Duration.between(joined, Instant.now());
        JsonNode hr = role(reader.get(rolesPath).expect(200).body(), "HR");
        assertThat(hr.path("active").asBoolean()).isTrue();
        assertThat(hr.path("assignments").get(0).path("via").asText()).isEqualTo("group");
        assertThat(hr.path("assignments").get(0).path("groupName").asText()).isEqualTo(hrGroupName);

        writer.put(rolesPath + "/Accounting", "{}").expect(201);
        assertThat(keys(reader.get(rolesPath).expect(200).body()))
                .isEqualTo(plus(base, "HR|federated|" + hrGroup, "Accounting|manual|"));

        SyncRuns.awaitNextSecond();
        tenant.mutate(List.of(Map.of("op", "removeMember", "groupId", hrGroup, "memberId", user)));
        Instant left = Instant.now();
        runs.runToCompletion(tenant.id(), "{}", SETTLE);
        Duration revoked = Eventually.noDifferences("HR revoked, User and Accounting kept",
                () -> expect(reader, rolesPath, plus(base, "Accounting|manual|")), SETTLE);

        Duration revokedAfterLeave = Duration.between(left, Instant.now());

        // The compacted topic, keyed per assignment: each key's records in order are exactly its changes
        // (the base grants, HR granted then revoked, Accounting granted), and the last record per key folds
        // to what the API shows.
        SyncEventDeserializer deserializer = new SyncEventDeserializer();
        Map<String, List<String>> changesPerKey = new TreeMap<>();
        Set<String> folded = new TreeSet<>();
        for (ConsumerRecord<String, byte[]> r : TopicRecords.readAll(stack.bootstrapServers(), List.of(Topics.ROLE_ASSIGNMENTS))) {
            if (r.key() == null || !r.key().startsWith(tenant.id() + ":" + user + ":")) {
                continue;
            }
            SyncEvent e = deserializer.deserialize(r.topic(), r.headers(), r.value());
            assertThat(r.key()).as("the record's key is its assignment's").isEqualTo(e.key());
            switch (e) {
                case RoleAssignmentGranted g -> {
                    changesPerKey.computeIfAbsent(key(g.data()), k -> new ArrayList<>()).add("granted");
                    folded.add(key(g.data()));
                }
                case RoleAssignmentRevoked v -> {
                    changesPerKey.computeIfAbsent(key(v.data()), k -> new ArrayList<>()).add("revoked");
                    folded.remove(key(v.data()));
                }
                default -> changesPerKey.computeIfAbsent("unexpected", k -> new ArrayList<>()).add(e.toString());
            }
        }
        Map<String, List<String>> expectedChanges = new TreeMap<>();
        base.forEach(k -> expectedChanges.put(k, List.of("granted")));
        expectedChanges.put("HR|federated|" + hrGroup, List.of("granted", "revoked"));
        expectedChanges.put("Accounting|manual|", List.of("granted"));
        assertThat(changesPerKey).isEqualTo(expectedChanges);
        assertThat(folded).isEqualTo(keys(reader.get(rolesPath).expect(200).body()));
        Timings.report("roles", "HR granted %d ms after joining the group in Entra (run + role-mapper), revoked %d ms after leaving it;"
                .formatted(grantedAfterJoin.toMillis(), revokedAfterLeave.toMillis())
                + " role-mapper caught up %d / %d ms after the delta runs ended".formatted(granted.toMillis(), revoked.toMillis()));
    }

    private static Set<String> plus(Set<String> base, String... more) {
        Set<String> all = new TreeSet<>(base);
        all.addAll(List.of(more));
        return all;
    }

    private static List<String> expect(ApiClient reader, String path, Set<String> expected) {
        ApiClient.Response response = reader.get(path);
        if (response.status() != 200) {
            return List.of(path + " answered " + response.status() + ": " + response.text());
        }
        Set<String> actual = keys(response.body());
        return actual.equals(expected) ? List.of() : List.of("roles " + actual + " instead of " + expected);
    }

    /** Active assignments as {@code role|source|groupId}, the identity a consumer of the topic keeps. */
    private static Set<String> keys(JsonNode answer) {
        return RoleMapperRoles.effective(answer);
    }

    private static String key(RoleAssignment a) {
        return a.role() + "|" + a.source().json() + "|" + (a.groupId() == null ? "" : a.groupId());
    }

    private static JsonNode role(JsonNode answer, String name) {
        for (JsonNode role : answer.path("roles")) {
            if (name.equals(role.path("role").asText())) {
                return role;
            }
        }
        throw new AssertionError("no role " + name + " in " + answer);
    }
}
