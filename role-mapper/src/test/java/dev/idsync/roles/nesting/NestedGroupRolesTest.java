package dev.idsync.roles.nesting;

import static dev.idsync.roles.RolesTestSupport.TENANT;
import static dev.idsync.roles.RolesTestSupport.assignments;
import static dev.idsync.roles.RolesTestSupport.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idsync.api.Roles;
import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleMemberRemoved;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.SyncEvent;
import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorControl;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.roles.RolesTestSupport;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Nested groups (role-mapper README "Nested groups"): mappings are evaluated on the transitive closure of the
 * group-in-group edges of the directory topics, incrementally and cycle-safe, the same at login (the
 * emulator's ID tokens carry Entra's transitive groups claim) as after a delta run; a tenant in {@code direct}
 * mode counts direct members only on both paths.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class NestedGroupRolesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String DIRECT_TENANT = "nesting-direct";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.concurrent.atomic.AtomicLong MINT = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong LOGIN = new java.util.concurrent.atomic.AtomicLong();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void three_levels_of_nesting_grant_HR_saying_why_and_removing_the_middle_edge_revokes_it_for_exactly_the_users_below()
            throws Exception {
        String hr = id(), de = id(), berlin = id(), team = id();
        String inHr = user(), inDe = user(), inBerlin = user(), inTeam = user(), elsewhere = user();
        NestedDirectory directory = new NestedDirectory(TENANT, T0)
                .group(hr, "App-Contoso-HR").group(de, "HR-DE").group(berlin, "HR-Berlin").group(team, "HR-Berlin-Team")
                .member(hr, de).member(de, berlin).member(berlin, team)
                .member(hr, inHr).member(de, inDe).member(berlin, inBerlin).member(team, inTeam);
        List.of(inHr, inDe, inBerlin, inTeam, elsewhere).forEach(directory::user);
        RolesTestSupport.publish(bootstrap, directory.events());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, inTeam))
                .containsExactly("HR:federated:group:App-Contoso-HR", "User:federated:default"));
        JsonPath teamRoles = roles(TENANT, inTeam);
        assertThat(teamRoles.getString("roles.find { it.role == 'HR' }.assignments[0].why"))
                .isEqualTo("App-Contoso-HR ← HR-DE ← HR-Berlin ← HR-Berlin-Team ← user");
        assertThat(teamRoles.getList("roles.find { it.role == 'HR' }.assignments[0].path", String.class))
                .containsExactly(hr, de, berlin, team);
        for (String user : List.of(inHr, inDe, inBerlin)) {
            assertThat(assignments(emulator, user)).containsExactly("HR:federated:group:App-Contoso-HR", "User:federated:default");
        }
        assertThat(assignments(emulator, elsewhere)).containsExactly("User:federated:default");
        awaitOutboxEmpty();
        assertThat(grantPath(inTeam, "HR")).as("the event's optional data.path").containsExactly(hr, de, berlin, team);

        RolesTestSupport.publish(bootstrap, List.of(
                MembershipRemoved.of(TENANT, de, "run-cut", 0, T0.plusSeconds(60), berlin, MemberType.GROUP)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(assignments(emulator, inTeam)).containsExactly("User:federated:default");
            assertThat(assignments(emulator, inBerlin)).containsExactly("User:federated:default");
        });
        assertThat(assignments(emulator, inHr)).containsExactly("HR:federated:group:App-Contoso-HR", "User:federated:default");
        assertThat(assignments(emulator, inDe)).containsExactly("HR:federated:group:App-Contoso-HR", "User:federated:default");
        awaitOutboxEmpty();
        Map<String, List<String>> events = eventsOf(List.of(inHr, inDe, inBerlin, inTeam, elsewhere));
        assertThat(events.get(inTeam)).containsExactlyInAnyOrder("+User:federated", "+HR:federated:" + hr, "-HR:federated:" + hr);
        assertThat(events.get(inBerlin)).containsExactlyInAnyOrder("+User:federated", "+HR:federated:" + hr, "-HR:federated:" + hr);
        assertThat(events.get(inHr)).as("above the cut: nothing after the grants").containsExactlyInAnyOrder(
                "+User:federated", "+HR:federated:" + hr);
        assertThat(events.get(inDe)).containsExactlyInAnyOrder("+User:federated", "+HR:federated:" + hr);
        assertThat(events.get(elsewhere)).containsExactly("+User:federated");
    }

    @Test
    void a_cycle_in_the_feed_ends_the_walk_is_reported_with_tenant_and_cycle_and_is_forgotten_when_an_edge_goes()
            throws Exception {
        String hr = id(), a = id(), b = id(), c = id();
        String member = user();
        NestedDirectory directory = new NestedDirectory(TENANT, T0)
                .group(hr, "App-Contoso-HR").group(a, "Cycle-A").group(b, "Cycle-B").group(c, "Cycle-C")
                .member(hr, a).member(a, b).member(b, c).member(c, a).member(c, member).user(member);
        RolesTestSupport.publish(bootstrap, directory.events());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(emulator, member))
                .containsExactly("HR:federated:group:App-Contoso-HR", "User:federated:default"));
        assertThat(roles(TENANT, member).getString("roles.find { it.role == 'HR' }.assignments[0].why"))
                .isEqualTo("App-Contoso-HR ← Cycle-A ← Cycle-B ← Cycle-C ← user");
        List<List<String>> cycles = cycles();
        assertThat(cycles).anySatisfy(cycle -> assertThat(cycle).containsExactlyInAnyOrder(a, b, c));
        assertThat(given().when().get("/q/metrics").then().extract().asString())
                .containsPattern("idsync_roles_group_cycles_cut_total\\{[^}]*tenant=\"contoso\"[^}]*} [1-9]");

        RolesTestSupport.publish(bootstrap, List.of(
                MembershipRemoved.of(TENANT, c, "run-uncycle", 0, T0.plusSeconds(60), a, MemberType.GROUP)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cycles())
                .noneSatisfy(cycle -> assertThat(cycle).contains(a, c)));
        assertThat(assignments(emulator, member)).containsExactly("HR:federated:group:App-Contoso-HR", "User:federated:default");
    }

    @Test
    void login_sync_and_the_delta_path_agree_for_1000_randomly_nested_users() throws Exception {
        Random random = new Random(18);
        NestedDirectory directory = new NestedDirectory(TENANT, T0);
        List<String> tops = new ArrayList<>(), mids = new ArrayList<>(), leaves = new ArrayList<>();
        for (String role : List.of("HR", "Admin", "Accounting")) {
            tops.add(id());
            directory.group(tops.get(tops.size() - 1), "App-Contoso-" + role);
        }
        for (int i = 0; i < 12; i++) {
            mids.add(id());
            directory.group(mids.get(i), "Nest-Mid-" + i).member(pick(tops, random), mids.get(i));
            if (random.nextInt(3) == 0) {
                directory.member(pick(tops, random), mids.get(i));
            }
        }
        for (int i = 0; i < 40; i++) {
            leaves.add(id());
            directory.group(leaves.get(i), "Nest-Leaf-" + i).member(pick(mids, random), leaves.get(i));
            if (random.nextInt(5) == 0) {
                directory.member(pick(random.nextBoolean() ? mids : tops, random), leaves.get(i));
            }
        }
        List<String> all = new ArrayList<>(leaves);
        all.addAll(mids);
        all.addAll(tops);
        for (int i = 0; i < 1000; i++) {
            String user = user();
            directory.user(user);
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                directory.member(random.nextInt(4) == 0 ? pick(all, random) : pick(leaves, random), user);
            }
        }
        directory.createInEmulator(EmulatorControl.at(emulator));
        RolesTestSupport.publish(bootstrap, directory.events());

        // Independently of role-mapper: User for everyone, plus the role of every App-Contoso-* group reached.
        Map<String, Set<String>> expected = new TreeMap<>();
        for (String user : directory.users()) {
            Set<String> roles = new TreeSet<>(Set.of("User"));
            directory.transitiveGroups(user).stream().filter(tops::contains)
                    .forEach(g -> roles.add(directory.name(g).substring("App-Contoso-".length())));
            expected.put(user, roles);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(storedRoles(TENANT, directory.users())).isEqualTo(expected));
        Map<String, List<String>> delta = storedAssignments(TENANT, directory.users());

        Map<String, List<String>> login = loginSyncAll(TENANT, directory.users());

        for (String user : directory.users()) {
            assertThat(login.get(user)).as("login-sync of " + user + " (changes, then assignments with their why)")
                    .isEqualTo(withChanges(0, delta.get(user)));
        }
    }

    @Test
    void in_direct_mode_only_direct_members_hold_a_groups_role_on_both_paths_as_with_Entras_app_assignment()
            throws Exception {
        EmulatorControl control = EmulatorControl.at(emulator);
        try {
            control.get("/_emulator/tenants/" + DIRECT_TENANT);
        } catch (IllegalStateException absent) {
            ObjectNode spec = JSON.createObjectNode().put("tenantId", DIRECT_TENANT).put("displayName", "Direct");
            spec.putArray("domains").add(DIRECT_TENANT + ".example");
            control.post("/_emulator/tenants", spec.toString());
        }
        String hr = id(), berlin = id();
        String viaBerlin = user(), direct = user(), both = user(), onlyAtLogin = user();
        NestedDirectory directory = new NestedDirectory(DIRECT_TENANT, T0)
                .group(hr, "App-Direct-HR").group(berlin, "HR-Berlin").member(hr, berlin)
                .member(berlin, viaBerlin).member(hr, direct).member(hr, both).member(berlin, both)
                .user(viaBerlin).user(direct).user(both);
        NestedDirectory entra = new NestedDirectory(DIRECT_TENANT, T0)
                .group(hr, "App-Direct-HR").group(berlin, "HR-Berlin").member(hr, berlin)
                .member(berlin, viaBerlin).member(hr, direct).member(hr, both).member(berlin, both)
                .member(berlin, onlyAtLogin).user(viaBerlin).user(direct).user(both).user(onlyAtLogin);
        entra.createInEmulator(control);
        RolesTestSupport.publish(bootstrap, directory.events());

        Map<String, Set<String>> expected = Map.of(viaBerlin, Set.of("User"), direct, Set.of("HR", "User"),
                both, Set.of("HR", "User"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(storedRoles(DIRECT_TENANT, expected.keySet())).isEqualTo(new TreeMap<>(expected)));
        Map<String, List<String>> delta = storedAssignments(DIRECT_TENANT, expected.keySet());

        Map<String, List<String>> login = loginSyncAll(DIRECT_TENANT, List.of(viaBerlin, direct, both, onlyAtLogin));
        for (String user : expected.keySet()) {
            assertThat(login.get(user)).as(user).isEqualTo(withChanges(0, delta.get(user)));
        }
        assertThat(login.get(onlyAtLogin)).as("a user first seen at login, in HR-Berlin only: the claim lists "
                + "App-Direct-HR through nesting, which direct mode does not count").containsExactly("changes=1", "User||");
        assertThat(storedRoles(DIRECT_TENANT, List.of(onlyAtLogin))).containsEntry(onlyAtLogin, Set.of("User"));
    }

    @Test
    void a_mapped_directory_role_gives_its_application_role_and_without_a_mapping_it_gives_none() throws Exception {
        String globalAdministrator = id(), admin = user(), contosoAdmin = user();
        Instant at = T0.plusSeconds(1);
        Map<String, Object> role = Map.of("displayName", "Global Administrator",
                "roleTemplateId", "62e90394-69f5-4237-9190-012177145e10");
        RolesTestSupport.publish(bootstrap, List.of(
                new NestedDirectory("directory-roles", at).user(admin).events().get(0),
                new DirectoryRoleUpserted("directory-roles", globalAdministrator, "run-roles", 0, at, role),
                DirectoryRoleMemberAdded.of("directory-roles", globalAdministrator, "run-roles", 0, at, admin, MemberType.USER),
                // contoso maps no directory role (the default): the same membership gives nothing there.
                new NestedDirectory(TENANT, at).user(contosoAdmin).events().get(0),
                new DirectoryRoleUpserted(TENANT, globalAdministrator, "run-roles", 0, at, role),
                DirectoryRoleMemberAdded.of(TENANT, globalAdministrator, "run-roles", 0, at, contosoAdmin, MemberType.USER)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(storedAssignments("directory-roles", List.of(admin)))
                .containsEntry(admin, List.of("Admin|" + globalAdministrator + "|", "User||")));
        assertThat(roles("directory-roles", admin).getString("roles.find { it.role == 'Admin' }.assignments[0].via"))
                .isEqualTo("directoryRole");
        assertThat(roles("directory-roles", admin).getString("roles.find { it.role == 'Admin' }.assignments[0].groupName"))
                .isEqualTo("Global Administrator");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(storedAssignments(TENANT, List.of(contosoAdmin)))
                .containsEntry(contosoAdmin, List.of("User||")));

        RolesTestSupport.publish(bootstrap, List.of(DirectoryRoleMemberRemoved.of("directory-roles", globalAdministrator,
                "run-roles", 0, at.plusSeconds(10), admin, MemberType.USER)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(storedAssignments("directory-roles", List.of(admin)))
                .containsEntry(admin, List.of("User||")));
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static String user() {
        return UUID.randomUUID().toString();
    }

    private static String pick(List<String> from, Random random) {
        return from.get(random.nextInt(from.size()));
    }

    private static List<String> withChanges(int changes, List<String> assignments) {
        List<String> result = new ArrayList<>(List.of("changes=" + changes));
        result.addAll(assignments);
        return result;
    }

    private JsonPath roles(String tenant, String user) {
        return given().header("Authorization", bearer(emulator, Roles.READER))
                .when().get("/api/tenants/" + tenant + "/users/" + user + "/roles").then().statusCode(200)
                .extract().jsonPath();
    }

    private List<List<String>> cycles() {
        return given().header("Authorization", bearer(emulator, Roles.READER))
                .when().get("/api/tenants/" + TENANT + "/group-cycles").then().statusCode(200)
                .extract().jsonPath().getList("cycles.groups");
    }

    /**
     * Login-sync of every user with an ID token the emulator mints from its directory (transitive groups
     * claim); per user: "changes=n", then the answer's assignments as "role|groupId|path", sorted.
     */
    private Map<String, List<String>> loginSyncAll(String tenant, List<String> users) throws Exception {
        EmulatorControl control = EmulatorControl.at(emulator);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Map<String, Future<List<String>>> pending = new HashMap<>();
            for (String user : users) {
                pending.put(user, pool.submit(() -> {
                    long t0 = System.nanoTime();
                    String token = control.post("/_emulator/tenants/" + tenant + "/tokens", JSON.createObjectNode()
                            .put("userId", user).put("audience", EmulatorConfig.API_CLIENT_ID).toString()).path("token").asText();
                    long t1 = System.nanoTime();
                    JsonPath answer = given().contentType("application/json").body("{\"idToken\":\"" + token + "\"}")
                            .when().post("/api/tenants/" + tenant + "/login-sync").then().statusCode(200).extract().jsonPath();
                    MINT.addAndGet(t1 - t0);
                    LOGIN.addAndGet(System.nanoTime() - t1);
                    List<String> rows = new ArrayList<>();
                    List<Map<String, Object>> roles = answer.getList("roles.roles");
                    for (Map<String, Object> role : roles) {
                        for (Map<String, Object> a : (List<Map<String, Object>>) role.get("assignments")) {
                            rows.add(role.get("role") + "|" + orEmpty(a.get("groupId")) + "|"
                                    + (a.get("path") == null ? "" : String.join(",", (List<String>) a.get("path"))));
                        }
                    }
                    rows.sort(null);
                    return withChanges(answer.getInt("changes"), rows);
                }));
            }
            Map<String, List<String>> answers = new HashMap<>();
            for (Map.Entry<String, Future<List<String>>> p : pending.entrySet()) {
                answers.put(p.getKey(), p.getValue().get());
            }
            System.out.printf("login-sync of %d users: minting %d ms, login-sync %d ms (summed over threads)%n", users.size(),
                    MINT.getAndSet(0) / 1_000_000, LOGIN.getAndSet(0) / 1_000_000);
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String orEmpty(Object value) {
        return value == null ? "" : value.toString();
    }

    /** The roles each user holds in role-mapper's store (one statement for all). */
    private Map<String, Set<String>> storedRoles(String tenant, Collection<String> users) throws SQLException {
        Map<String, Set<String>> roles = new TreeMap<>();
        storedAssignments(tenant, users).forEach((user, rows) ->
                roles.put(user, rows.stream().map(r -> r.substring(0, r.indexOf('|'))).collect(Collectors.toCollection(TreeSet::new))));
        return roles;
    }

    /** Each user's stored assignments as "role|groupId|path", sorted: what the delta path decided. */
    private Map<String, List<String>> storedAssignments(String tenant, Collection<String> users) throws SQLException {
        Map<String, List<String>> result = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("""
                        select user_id, role, group_id, array_to_string(path, ',') from roles.role_assignments
                        where tenant_id = ? and user_id = any (?) order by user_id, role, group_id""")) {
            q.setString(1, tenant);
            Array ids = c.createArrayOf("text", users.toArray());
            q.setArray(2, ids);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    result.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(rs.getString(2) + "|" + rs.getString(3) + "|" + orEmpty(rs.getString(4)));
                }
            }
        }
        result.values().forEach(rows -> rows.sort(null));
        return result;
    }

    private void awaitOutboxEmpty() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement q = c.prepareStatement("select count(*) from roles.outbox");
                    ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        });
    }

    /** The path of the last grant of {@code role} to {@code user} on the role-assignment topic. */
    private List<String> grantPath(String user, String role) {
        List<String> path = null;
        for (ConsumerRecord<String, SyncEvent> r : RolesTestSupport.assignmentRecordsToTheEnd(bootstrap)) {
            if (r.value() instanceof RoleAssignmentGranted g && g.userId().equals(user) && g.data().role().equals(role)) {
                path = g.data().path();
            }
        }
        return path;
    }

    /** Every role-assignment event of these users, as "+role:source[:group]" / "-role:...". */
    private Map<String, List<String>> eventsOf(List<String> users) {
        Map<String, List<String>> events = new HashMap<>();
        users.forEach(u -> events.put(u, new ArrayList<>()));
        for (ConsumerRecord<String, SyncEvent> r : RolesTestSupport.assignmentRecordsToTheEnd(bootstrap)) {
            List<String> of = events.get(r.value().objectId());
            if (of != null) {
                String kind = r.value() instanceof RoleAssignmentGranted ? "+" : "-";
                var data = r.value() instanceof RoleAssignmentGranted g ? g.data()
                        : ((dev.idsync.events.RoleAssignmentRevoked) r.value()).data();
                of.add(kind + data.role() + ":" + data.source().json() + (data.groupId() == null ? "" : ":" + data.groupId()));
            }
        }
        return events;
    }
}
