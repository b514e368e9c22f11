package dev.idsync.roles.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idsync.api.Problem;
import dev.idsync.api.Roles;
import dev.idsync.infra.test.ApiCall;
import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorControl;
import dev.idsync.infra.test.SchemaFingerprint;
import dev.idsync.infra.test.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint of role-mapper's API (role mappings, a user's roles, manual assignments, login sync),
 * table-driven: a token scoped to tenant A gets 403 problem+json naming tenant B and nothing of B changes (no
 * mapping saved, no role assigned); A's token works on A; the operator role works on both. Login sync takes
 * no idsync token: there an ID token of A's issuer is refused on B (401). Bad input is refused whole.
 */
@QuarkusTest
class RoleMapperApiGuardsTest {

    static final String A = "api-a";
    static final String B = "api-b";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAPPINGS = """
            {"pattern": "Api-{role}", "roles": ["Admin", "User"], "defaultRole": "User",
             "groups": {"6f1e2a3b-0000-4000-8000-0000000000aa": {"role": "Admin", "access": "edit"}}}""";

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;
    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void both_tenants_are_issuers_in_the_emulator() {
        EmulatorControl control = EmulatorControl.at(emulator);
        for (String tenant : List.of(A, B)) {
            try {
                control.get("/_emulator/tenants/" + tenant);
            } catch (IllegalStateException absent) {
                ObjectNode spec = JSON.createObjectNode();
                spec.put("tenantId", tenant);
                spec.put("displayName", tenant);
                spec.putArray("domains").add(tenant + ".example");
                control.post("/_emulator/tenants", spec.toString());
            }
        }
    }

    static Stream<ApiCall> everyEndpoint() {
        String t = "/api/tenants/{tenant}";
        return Stream.of(
                ApiCall.get(t + "/role-mappings", 200),
                ApiCall.send("POST", t + "/role-mappings/simulations", MAPPINGS, 200),
                ApiCall.get(t + "/role-mappings/changes", 200),
                ApiCall.get(t + "/group-cycles", 200),
                ApiCall.send("PUT", t + "/role-mappings", MAPPINGS, 200),
                ApiCall.get(t + "/users/no-such-user/roles", 404),
                ApiCall.send("PUT", t + "/users/u-1/roles/Admin", "{\"accessLevel\":\"edit\"}", 201),
                ApiCall.delete(t + "/users/u-1/roles/Admin", 204));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void a_token_for_tenant_a_gets_403_on_tenant_b_writes_nothing_and_works_on_a(ApiCall call) throws Exception {
        String tokenA = TestTokens.bearerForTenants(emulator, List.of(A), Roles.ADMIN, Roles.WRITER, Roles.READER);
        Map<String, String> before = fingerprint(B);
        call.sendFor(B, tokenA).then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("'" + B + "'")).body("errors[0].field", equalTo("tenant"));
        assertThat(fingerprint(B)).as("nothing of " + B + " written").isEqualTo(before);
        int status = call.sendFor(A, tokenA).then().extract().statusCode();
        assertThat(status).as(call + " on " + A).isIn(call.allowedStatus(), 200);
        restore(A, tokenA);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void the_operator_role_works_on_both_tenants(ApiCall call) {
        String operator = TestTokens.bearer(emulator, Roles.ADMIN, Roles.WRITER, Roles.READER);
        for (String tenant : List.of(A, B)) {
            int status = call.sendFor(tenant, operator).then().extract().statusCode();
            assertThat(status).as(call + " on " + tenant).isIn(call.allowedStatus(), 200);
            restore(tenant, operator);
        }
    }

    @Test
    void login_sync_takes_only_an_id_token_of_the_tenants_own_issuer() throws Exception {
        String idTokenOfA = EmulatorControl.at(emulator).post("/_emulator/tenants/" + A + "/tokens",
                "{\"subject\":\"login-user\",\"audience\":\"" + EmulatorConfig.API_CLIENT_ID + "\",\"groups\":[]}")
                .path("token").asText();
        Map<String, String> before = fingerprint(B);
        given().header("Authorization", "Bearer " + idTokenOfA).when().post("/api/tenants/" + B + "/login-sync")
                .then().statusCode(401).contentType(Problem.MEDIA_TYPE).body("detail", containsString(B));
        assertThat(fingerprint(B)).as("nothing of " + B + " written").isEqualTo(before);
        given().header("Authorization", "Bearer " + idTokenOfA).when().post("/api/tenants/" + A + "/login-sync")
                .then().statusCode(200).body("userId", equalTo("login-user"));
    }

    static Stream<Arguments> badInput() {
        String mappings = "/api/tenants/{tenant}/role-mappings";
        String assignment = "/api/tenants/{tenant}/users/u-2/roles/Admin";
        String login = "/api/tenants/{tenant}/login-sync";
        return Stream.of(
                Arguments.of(ApiCall.send("PUT", mappings, "{\"pattern\":", 0), 400, "body"),
                Arguments.of(ApiCall.send("PUT", mappings, "{\"roles\":\"Admin\"}", 0), 400, "roles"),
                Arguments.of(ApiCall.send("PUT", mappings, "{\"roles\":[\"Admin\"],\"defaultRole\":7}", 0), 400, "defaultRole"),
                Arguments.of(ApiCall.send("PUT", mappings, "{\"patern\":\"Api-{role}\",\"roles\":[\"Admin\"]}", 0), 400, "patern"),
                Arguments.of(ApiCall.send("PUT", mappings, "{\"roles\":[\"Admin\"],\"groups\":{\"g\":{\"role\":\"Admin\",\"acess\":\"edit\"}}}", 0),
                        400, "groups.g.acess"),
                Arguments.of(ApiCall.send("PUT", mappings, "{\"pattern\":\"App-{tenant}-{rolle}\",\"roles\":[\"Admin\"]}", 0), 422, "pattern"),
                Arguments.of(ApiCall.send("PUT", mappings, "{\"pattern\":\"A-{role}\",\"roles\":[\"Admin\"],\"defaultRole\":\"Admin\",\"nested\":\"deep\"}", 0),
                        422, "nested"),
                Arguments.of(ApiCall.send("POST", mappings + "/simulations", "{\"pattern\":\"A-{role}\",\"roles\":[\"Admin\"],\"defaultRole\":\"Admin\",\"nested\":\"deep\"}", 0),
                        422, "nested"),
                Arguments.of(ApiCall.send("POST", mappings + "/simulations?limit=0", "{\"pattern\":\"A-{role}\",\"roles\":[\"Admin\"],\"defaultRole\":\"Admin\"}", 0),
                        422, "limit"),
                Arguments.of(ApiCall.send("PUT", mappings, "{\"roles\":[\"" + "x".repeat(1_100_000) + "\"]}", 0), 413, "body"),
                Arguments.of(ApiCall.send("PUT", assignment, "{\"accessLevel\":", 0), 400, "body"),
                Arguments.of(ApiCall.send("PUT", assignment, "{\"accessLevel\":5}", 0), 400, "accessLevel"),
                Arguments.of(ApiCall.send("PUT", assignment, "{\"access\":\"edit\"}", 0), 400, "access"),
                Arguments.of(ApiCall.send("POST", login, "not json", 0), 400, "body"),
                Arguments.of(ApiCall.send("POST", login, "[\"token\"]", 0), 400, "body"),
                Arguments.of(ApiCall.send("POST", login, "{\"idToken\":5}", 0), 400, "idToken"),
                Arguments.of(ApiCall.send("POST", login, "{\"idToken\":\"x.y.z\",\"groups\":[]}", 0), 400, "groups"));
    }

    @ParameterizedTest(name = "{0} → {1} naming {2}")
    @MethodSource("badInput")
    void bad_input_is_refused_whole_naming_the_field(ApiCall call, int status, String field) throws Exception {
        Map<String, String> before = fingerprint(A);
        call.sendFor(A, TestTokens.bearer(emulator, Roles.ADMIN, Roles.WRITER, Roles.READER))
                .then().statusCode(status).contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem(field));
        assertThat(fingerprint(A)).as("nothing written").isEqualTo(before);
    }

    /** Each row starts from the same state: no manual assignment left behind by the previous row. */
    private static void restore(String tenant, String token) {
        given().header("Authorization", token).when().delete("/api/tenants/" + tenant + "/users/u-1/roles/Admin");
    }

    private Map<String, String> fingerprint(String tenant) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            return SchemaFingerprint.of(c, "roles", tenant);
        }
    }
}
