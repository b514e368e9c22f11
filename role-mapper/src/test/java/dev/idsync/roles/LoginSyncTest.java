package dev.idsync.roles;

import static dev.idsync.roles.RolesTestSupport.TENANT;
import static dev.idsync.roles.RolesTestSupport.bearer;
import static dev.idsync.roles.RolesTestSupport.describe;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idsync.api.Problem;
import dev.idsync.api.Roles;
import dev.idsync.events.GroupUpserted;
import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorControl;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Login-time group sync with ID tokens the emulator mints as Entra would after a sign-in: the groups
 * claim is applied at once, an empty one removes federated roles but not manual ones, and an overage
 * token's groups are read from Graph.
 */
@QuarkusTest
class LoginSyncTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource dataSource;

    private EmulatorControl control;
    private String hrGroup;
    private final String user = UUID.randomUUID().toString();

    @BeforeEach
    void a_user_in_App_Contoso_HR_that_role_mapper_knows_the_group_of() {
        control = EmulatorControl.at(emulator);
        JsonNode snapshot = control.get("/_emulator/tenants/" + TENANT + "/snapshot");
        for (JsonNode group : snapshot.path("groups")) {
            if ("App-Contoso-HR".equals(group.path("displayName").asText())) {
                hrGroup = group.path("id").asText();
            }
        }
        assertThat(hrGroup).isNotNull();
        control.post("/_emulator/tenants/" + TENANT + "/mutations", """
                {"operations": [
                  {"op": "createUser", "id": "%1$s", "properties": {"displayName": "Login Test", "accountEnabled": true,
                   "userPrincipalName": "%1$s@contoso.example", "mailNickname": "login%2$s"}},
                  {"op": "addMember", "groupId": "%3$s", "memberId": "%1$s"}]}
                """.formatted(user, user.substring(0, 8), hrGroup));
        // What delta-processor publishes for the group; role-mapper needs the name for the pattern mapping.
        RolesTestSupport.publish(bootstrap, List.of(new GroupUpserted(TENANT, hrGroup, "run-login", 0,
                Instant.parse("2026-01-01T00:00:00Z"), Map.of("displayName", "App-Contoso-HR"))));
        await().atMost(Duration.ofSeconds(30)).until(this::roleMapperKnowsTheHrGroup);
    }

    @Test
    void a_token_with_groups_grants_their_roles_at_once_and_an_empty_groups_claim_removes_them_but_not_manual_ones() {
        JsonPath first = loginSync(token(Map.of()), false);
        assertThat(first.getString("groupsSource")).isEqualTo("claim");
        assertThat(describe(first, "roles.")).containsExactly("HR:federated:group:App-Contoso-HR", "User:federated:default");

        given().header("Authorization", bearer(emulator, Roles.WRITER)).contentType("application/json").body("{}")
                .when().put("/api/tenants/" + TENANT + "/users/" + user + "/roles/Accounting").then().statusCode(201);

        // The user left every group in Entra: the next sign-in's token lists none.
        JsonPath second = loginSync(token(Map.of("groups", List.of())), true);
        assertThat(describe(second, "roles.")).containsExactly("Accounting:manual:manual", "User:federated:default");
        assertThat(second.getInt("changes")).isEqualTo(1);

        JsonPath again = loginSync(token(Map.of("groups", List.of())), true);
        assertThat(again.getInt("changes")).isZero();
    }

    @Test
    void a_token_without_any_groups_claim_removes_federated_group_roles_and_keeps_manual_ones() {
        loginSync(token(Map.of()), false);
        given().header("Authorization", bearer(emulator, Roles.WRITER)).contentType("application/json").body("{}")
                .when().put("/api/tenants/" + TENANT + "/users/" + user + "/roles/Accounting").then().statusCode(201);

        // The app registration stopped asking for group claims: the token says nothing about groups.
        JsonPath result = loginSync(token(Map.of("omitGroups", true)), true);

        assertThat(result.getString("groupsSource")).isEqualTo("none");
        assertThat(describe(result, "roles.")).containsExactly("Accounting:manual:manual", "User:federated:default");
        assertThat(result.getInt("changes")).isEqualTo(1);
    }

    @Test
    void a_token_with_groups_overage_gets_the_groups_from_graph() {
        List<String> tooMany = IntStream.range(0, 201).mapToObj(i -> UUID.randomUUID().toString()).toList();
        ObjectNode spec = spec(Map.of("groups", tooMany));
        JsonNode minted = control.post("/_emulator/tenants/" + TENANT + "/tokens", spec.toString());
        assertThat(minted.path("groupsOverage").asBoolean()).isTrue();

        JsonPath result = loginSync(minted.path("token").asText(), false);
        assertThat(result.getString("groupsSource")).isEqualTo("overage");
        assertThat(describe(result, "roles.")).containsExactly("HR:federated:group:App-Contoso-HR", "User:federated:default");
        assertThat(control.get("/_emulator/requests?path=.*getMemberGroups.*").toString()).contains(user);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                given().when().get("/q/metrics").then().statusCode(200).extract().asString()).containsPattern("idsync_roles_login_sync_seconds_count\\{[^}]*outcome=\"overage\"[^}]*} [1-9]")
                .containsPattern("idsync_roles_assignments\\{[^}]*role=\"HR\"[^}]*} [1-9]")
                .containsPattern("idsync_roles_changes_total\\{[^}]*kind=\"granted\"[^}]*} [1-9]"));
    }

    @Test
    void a_forged_token_or_one_for_another_audience_is_refused_with_401_and_changes_nothing() {
        String valid = token(Map.of());
        String forged = valid.substring(0, valid.length() - 4) + (valid.endsWith("AAAA") ? "BBBB" : "AAAA");
        given().header("Authorization", "Bearer " + forged).when().post("/api/tenants/" + TENANT + "/login-sync")
                .then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        String otherApp = control.post("/_emulator/tenants/" + TENANT + "/tokens",
                spec(Map.of("audience", "some-other-app")).toString()).path("token").asText();
        given().header("Authorization", "Bearer " + otherApp).when().post("/api/tenants/" + TENANT + "/login-sync")
                .then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().when().post("/api/tenants/" + TENANT + "/login-sync").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", bearer(emulator, Roles.READER))
                .when().get("/api/tenants/" + TENANT + "/users/" + user + "/roles").then().statusCode(404);
    }

    private JsonPath loginSync(String token, boolean inBody) {
        var request = given();
        request = inBody ? request.contentType("application/json").body("{\"idToken\":\"" + token + "\"}")
                : request.header("Authorization", "Bearer " + token);
        return request.when().post("/api/tenants/" + TENANT + "/login-sync")
                .then().statusCode(200).body("userId", equalTo(user)).extract().jsonPath();
    }

    private String token(Map<String, Object> overrides) {
        return control.post("/_emulator/tenants/" + TENANT + "/tokens", spec(overrides).toString()).path("token").asText();
    }

    private ObjectNode spec(Map<String, Object> overrides) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("userId", user);
        spec.put("audience", EmulatorConfig.API_CLIENT_ID);
        overrides.forEach((k, v) -> spec.set(k, JSON.valueToTree(v)));
        return spec;
    }

    private boolean roleMapperKnowsTheHrGroup() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select 1 from roles.groups where tenant_id = ? and group_id = ? and display_name = 'App-Contoso-HR'")) {
            q.setString(1, TENANT);
            q.setString(2, hrGroup);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }
}
