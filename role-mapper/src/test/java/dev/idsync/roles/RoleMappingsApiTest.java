package dev.idsync.roles;

import static dev.idsync.roles.RolesTestSupport.bearer;
import static dev.idsync.roles.RolesTestSupport.describe;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.idsync.api.Problem;
import dev.idsync.api.Roles;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Mappings over the API (idsync.admin): idsync.yaml's until replaced, validated field by field (nothing
 * stored on bad input), and applied to the tenant's users as soon as they are stored. Tenant fabrikam,
 * so these edits never change contoso's roles in the other tests.
 */
@QuarkusTest
class RoleMappingsApiTest {

    private static final String TENANT = "fabrikam";
    private static final String PATH = "/api/tenants/" + TENANT + "/role-mappings";

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void bad_mappings_get_422_naming_each_field_and_nothing_is_stored() {
        String before = given().header("Authorization", bearer(emulator, Roles.ADMIN)).when().get(PATH)
                .then().statusCode(200).extract().asString();
        given().header("Authorization", bearer(emulator, Roles.ADMIN)).contentType("application/json").body("""
                {"pattern": "App-{tenant}-{rolle}", "roles": ["Admin", "User", "9lives"], "defaultRole": "User",
                 "groups": {"not-a-guid": {"role": "HR", "access": "edit"},
                            "6f1e2a3b-0000-4000-8000-000000000001": {"role": "Janitor", "access": "write"}}}
                """).when().put(PATH)
                .then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("errors.field", hasItems("pattern", "roles[2]", "groups.not-a-guid", "groups.not-a-guid.role",
                        "groups.6f1e2a3b-0000-4000-8000-000000000001.role", "groups.6f1e2a3b-0000-4000-8000-000000000001.access"));
        given().header("Authorization", bearer(emulator, Roles.ADMIN)).contentType("application/json")
                .body("{\"pattern\": \"App-{tenant}-{role}\", \"roles\": \"Admin\"")
                .when().put(PATH).then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", bearer(emulator, Roles.ADMIN)).when().get(PATH)
                .then().statusCode(200).body(equalTo(before)).body("origin", equalTo("config"));
    }

    @Test
    void only_admins_read_or_change_mappings() {
        given().header("Authorization", bearer(emulator, Roles.READER)).when().get(PATH)
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", bearer(emulator, Roles.WRITER)).contentType("application/json").body("{}")
                .when().put(PATH).then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().when().get(PATH).then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", bearer(emulator, Roles.ADMIN)).when().get("/api/tenants/nowhere/role-mappings")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void stored_mappings_apply_to_the_tenants_users_at_once_and_manual_assignments_need_a_known_role() {
        String user = "u-" + UUID.randomUUID();
        String auditors = UUID.randomUUID().toString();
        Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
        RolesTestSupport.publish(bootstrap, List.of(
                new UserUpserted(TENANT, user, "run-1", 0, t0, Map.of("accountEnabled", true)),
                MembershipAdded.of(TENANT, auditors, "run-1", 0, t0, user, MemberType.USER)));
        // The user and the membership arrive on different topics (channels): the mapping below must find both.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(roles(user)).containsExactly("User:federated:default");
            assertThat(RolesTestSupport.groupMembers(dataSource, TENANT, auditors)).containsExactly(user + ":user");
        });
        given().header("Authorization", bearer(emulator, Roles.WRITER)).contentType("application/json").body("{}")
                .when().put("/api/tenants/" + TENANT + "/users/" + user + "/roles/Auditor")
                .then().statusCode(422).contentType(Problem.MEDIA_TYPE).body("errors.field", contains("role"));

        given().header("Authorization", bearer(emulator, Roles.ADMIN)).contentType("application/json").body("""
                {"pattern": "Fab-{role}", "roles": ["Admin", "User", "Auditor"], "defaultRole": "User",
                 "groups": {"%s": {"role": "Auditor", "access": "read"}}}
                """.formatted(auditors)).when().put(PATH)
                .then().statusCode(200).body("origin", equalTo("api")).body("changedAssignments", equalTo(1))
                .body("groups." + auditors + ".access", equalTo("read"));
        assertThat(roles(user)).containsExactly("Auditor:federated:group:" + auditors, "User:federated:default");

        given().header("Authorization", bearer(emulator, Roles.WRITER)).contentType("application/json")
                .body("{\"accessLevel\":\"edit\"}")
                .when().put("/api/tenants/" + TENANT + "/users/" + user + "/roles/Auditor").then().statusCode(201);
        given().header("Authorization", bearer(emulator, Roles.WRITER)).contentType("application/json")
                .body("{\"accessLevel\":\"edit\"}")
                .when().put("/api/tenants/" + TENANT + "/users/" + user + "/roles/Auditor").then().statusCode(200);
        given().header("Authorization", bearer(emulator, Roles.WRITER))
                .when().delete("/api/tenants/" + TENANT + "/users/" + user + "/roles/Auditor").then().statusCode(204);
        List<String> events = RolesTestSupport.eventsFor(bootstrap, user, e -> e.size() >= 4);
        assertThat(events).containsExactlyInAnyOrder(
                "+User:federated", "+Auditor:federated:" + auditors, "+Auditor:manual", "-Auditor:manual");
        // Keyed per assignment: ordered per assignment, not across a user's assignments.
        assertThat(RolesTestSupport.ofAssignment(events, "Auditor:manual")).containsExactly("+Auditor:manual", "-Auditor:manual");
    }

    private List<String> roles(String user) {
        return describe(given().header("Authorization", bearer(emulator, Roles.READER))
                .when().get("/api/tenants/" + TENANT + "/users/" + user + "/roles").then().extract().jsonPath(), "");
    }
}
