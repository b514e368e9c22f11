package dev.idsync.roles.nesting;

import static dev.idsync.roles.RolesTestSupport.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.idsync.api.Problem;
import dev.idsync.api.Roles;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.SyncEvent;
import dev.idsync.infra.test.EmulatorConfig;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A role-mapping change is simulated before it is saved: the simulation names who would gain or lose which
 * role (counts over all, one page of the list), writes nothing, and saving with its id applies exactly that,
 * recorded with who and when; a save whose outcome would differ from the simulation is refused.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class MappingSimulationTest {

    private static final String TENANT = "simulated";
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void the_simulation_writes_nothing_and_saving_it_applies_exactly_the_simulated_gains_and_losses_with_who_and_when()
            throws Exception {
        String top = UUID.randomUUID().toString(), child = UUID.randomUUID().toString(), hr = UUID.randomUUID().toString();
        String inChild = "u1-" + UUID.randomUUID(), inTop = "u2-" + UUID.randomUUID(), inHr = "u3-" + UUID.randomUUID(),
                inHrAndTop = "u4-" + UUID.randomUUID(), late = "u5-" + UUID.randomUUID();
        NestedDirectory directory = new NestedDirectory(TENANT, T0)
                .group(top, "Sim-Top").group(child, "Sim-Child").group(hr, "App-Sim-HR").member(top, child)
                .member(child, inChild).member(top, inTop).member(hr, inHr).member(hr, inHrAndTop).member(top, inHrAndTop)
                .user(inChild).user(inTop).user(inHr).user(inHrAndTop).user(late);
        RolesTestSupport.publish(bootstrap, directory.events());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(roles(List.of(inHr, inHrAndTop, late)))
                .isEqualTo(Map.of(inHr, Set.of("HR", "User"), inHrAndTop, Set.of("HR", "User"), late, Set.of("User"))));
        // Proposed: Sim-Top (and so Sim-Child below it) grants Admin; HR is no longer a role of the tenant.
        String proposed = """
                {"pattern": "App-{tenant}-{role}", "roles": ["Admin", "User", "Accounting"], "defaultRole": "User",
                 "groups": {"%s": {"role": "Admin", "access": "edit"}}}""".formatted(top);
        String before = fingerprint();

        JsonPath page = simulate(proposed, 2);
        assertThat(fingerprint()).as("a simulation stores nothing").isEqualTo(before);
        assertThat(page.getInt("gained")).isEqualTo(3);
        assertThat(page.getInt("lost")).isEqualTo(2);
        assertThat(page.getInt("users")).isEqualTo(4);
        assertThat(page.getInt("total")).isEqualTo(5);
        assertThat(page.getBoolean("truncated")).isTrue();
        assertThat(page.getList("changes")).hasSize(2);
        JsonPath simulation = simulate(proposed, 100);
        assertThat(simulation.getBoolean("truncated")).isFalse();
        assertThat(simulation.getString("simulationId")).isEqualTo(page.getString("simulationId"));
        List<String> predicted = describe(simulation);
        assertThat(predicted).containsExactlyInAnyOrder("gain:" + inChild + ":Admin:" + top + "," + child,
                "gain:" + inTop + ":Admin:" + top, "gain:" + inHrAndTop + ":Admin:" + top, "lose:" + inHr + ":HR",
                "lose:" + inHrAndTop + ":HR");

        // The directory changes after the simulation: saving it now would do more than was simulated.
        RolesTestSupport.publish(bootstrap, List.of(MembershipAdded.of(TENANT, child, "run-late", 0, T0.plusSeconds(5), late,
                MemberType.USER)));
        await().atMost(Duration.ofSeconds(30)).until(() -> memberOf(child).contains(late));
        String stale = fingerprint();
        save(proposed, simulation.getString("simulationId")).then().statusCode(412).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("If-Match"));
        assertThat(fingerprint()).as("a refused save stores nothing").isEqualTo(stale);

        JsonPath fresh = simulate(proposed, 100);
        List<String> expected = describe(fresh);
        assertThat(expected).contains("gain:" + late + ":Admin:" + top + "," + child).hasSize(6);
        JsonPath saved = save(proposed, fresh.getString("simulationId")).then().statusCode(200).extract().jsonPath();
        assertThat(saved.getInt("gained")).isEqualTo(fresh.getInt("gained"));
        assertThat(saved.getInt("lost")).isEqualTo(fresh.getInt("lost"));
        assertThat(saved.getInt("changedAssignments")).isEqualTo(fresh.getInt("changedAssignments"));

        assertThat(roles(List.of(inChild, inTop, inHr, inHrAndTop, late))).isEqualTo(Map.of(
                inChild, Set.of("Admin", "User"), inTop, Set.of("Admin", "User"), inHr, Set.of("User"),
                inHrAndTop, Set.of("Admin", "User"), late, Set.of("Admin", "User")));
        JsonPath history = given().header("Authorization", bearer(emulator, Roles.ADMIN))
                .when().get("/api/tenants/" + TENANT + "/role-mappings/changes").then().statusCode(200).extract().jsonPath();
        String actor = history.getString("changes[0].changedBy");
        assertThat(actor).isNotBlank();
        assertThat(history.getInt("changes[0].gained")).isEqualTo(4);
        assertThat(history.getString("changes[0].changedAt")).isNotBlank();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(adminGrantActor(late)).isEqualTo(actor));
    }

    private JsonPath simulate(String mappings, int limit) {
        return given().header("Authorization", bearer(emulator, Roles.ADMIN)).contentType("application/json").body(mappings)
                .when().post("/api/tenants/" + TENANT + "/role-mappings/simulations?limit=" + limit)
                .then().statusCode(200).extract().jsonPath();
    }

    private io.restassured.response.Response save(String mappings, String simulationId) {
        return given().header("Authorization", bearer(emulator, Roles.ADMIN)).header("If-Match", "\"" + simulationId + "\"")
                .contentType("application/json").body(mappings).when().put("/api/tenants/" + TENANT + "/role-mappings");
    }

    /** "gain|lose:user:role[:path]" per listed change. */
    private static List<String> describe(JsonPath simulation) {
        List<String> rows = new ArrayList<>();
        List<Map<String, Object>> changes = simulation.getList("changes");
        for (Map<String, Object> c : changes) {
            Object path = c.get("path");
            rows.add(c.get("change") + ":" + c.get("userId") + ":" + c.get("role")
                    + (path == null ? "" : ":" + String.join(",", (List<String>) path)));
        }
        return rows;
    }

    private String adminGrantActor(String user) {
        String actor = null;
        for (ConsumerRecord<String, SyncEvent> r : RolesTestSupport.assignmentRecordsToTheEnd(bootstrap)) {
            if (r.value() instanceof RoleAssignmentGranted g && g.userId().equals(user) && g.data().role().equals("Admin")) {
                actor = g.data().actor();
            }
        }
        return actor;
    }

    private Map<String, Set<String>> roles(List<String> users) throws SQLException {
        Map<String, Set<String>> roles = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select user_id, role from roles.role_assignments where tenant_id = ? and user_id = any (?)")) {
            q.setString(1, TENANT);
            q.setArray(2, c.createArrayOf("text", users.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    roles.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
                }
            }
        }
        return roles;
    }

    private Set<String> memberOf(String group) throws SQLException {
        return new TreeSet<>(RolesTestSupport.groupMembers(dataSource, TENANT, group).stream()
                .map(m -> m.substring(0, m.indexOf(':'))).toList());
    }

    /** The tenant's stored assignments and mappings, and the mapping history's length. */
    private String fingerprint() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("""
                        select (select coalesce(string_agg(user_id || role || group_id || coalesce(access_level, ''), ',' order by user_id, role, group_id), '')
                                from roles.role_assignments where tenant_id = ?)
                            || '|' || (select count(*) from roles.role_mappings where tenant_id = ?)
                            || '|' || (select count(*) from roles.role_mapping_changes where tenant_id = ?)""")) {
            for (int i = 1; i <= 3; i++) {
                q.setString(i, TENANT);
            }
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
