package dev.idsync.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The rules every idsync API follows, against real tokens of the emulator's OIDC issuer: no token 401,
 * wrong role 403, bad input 400/422 naming the field, unknown things 404, all as problem+json.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class ApiSecurityAndProblemsTest {

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;

    @Test
    void a_request_without_a_token_gets_401_problem_with_a_bearer_challenge() {
        given().when().get("/api/probe/admin")
                .then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401)).body("title", equalTo("Unauthorized"));
    }

    @Test
    void a_token_of_another_issuer_or_a_forged_one_gets_401() {
        String valid = TestTokens.bearer(emulator, Roles.ADMIN);
        String forged = valid.substring(0, valid.length() - 4) + (valid.endsWith("AAAA") ? "BBBB" : "AAAA");
        given().header("Authorization", forged).when().get("/api/probe/admin")
                .then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void the_right_role_passes_and_another_role_gets_403_problem() {
        given().header("Authorization", TestTokens.bearer(emulator, Roles.ADMIN))
                .when().get("/api/probe/admin").then().statusCode(200).body(equalTo("ok"));
        given().header("Authorization", TestTokens.bearer(emulator, Roles.READER))
                .when().get("/api/probe/admin")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE).body("status", equalTo(403));
    }

    @Test
    void an_endpoint_without_a_role_annotation_is_denied_even_with_a_token() {
        given().header("Authorization", TestTokens.bearer(emulator, Roles.ADMIN, Roles.WRITER, Roles.READER))
                .when().get("/api/probe/forgotten").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void invalid_fields_get_422_naming_each_field() {
        given().header("Authorization", TestTokens.bearer(emulator, Roles.WRITER))
                .contentType("application/json").body("{\"name\":\"\",\"count\":0}")
                .when().post("/api/probe/things")
                .then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("errors.field", contains("count", "name"));
    }

    @Test
    void a_body_that_does_not_parse_gets_400_naming_the_field() {
        given().header("Authorization", TestTokens.bearer(emulator, Roles.WRITER))
                .contentType("application/json").body("{\"name\":\"x\",\"count\":\"many\"}")
                .when().post("/api/probe/things")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("count"));
    }

    @Test
    void an_unknown_thing_gets_404_problem() {
        given().header("Authorization", TestTokens.bearer(emulator, Roles.READER))
                .when().get("/api/probe/things/nope")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("no thing 'nope'"));
    }
}
