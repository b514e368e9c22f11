package dev.idsync.poller.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.idsync.api.Problem;
import dev.idsync.api.Roles;
import dev.idsync.infra.test.ApiCall;
import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.SchemaFingerprint;
import dev.idsync.infra.test.TestTokens;
import dev.idsync.poller.PollerQuarkusTest;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint of the sync-run API, table-driven: a token scoped to tenant A gets 403 problem+json naming
 * tenant B and no run is started (the poller's rows of B unchanged); A's token works on A; the operator role
 * works on both. And bad input of every kind is refused whole, naming the field.
 */
@QuarkusTest
class SyncRunApiGuardsTest extends PollerQuarkusTest {

    static final String A = "api-a";
    static final String B = "api-b";

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;
    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void both_tenants_exist_in_the_emulator_and_nothing_runs() {
        for (String tenant : List.of(A, B)) {
            support.createTenant(tenant, 5, 1, 2, 1);
        }
    }

    static Stream<ApiCall> everyEndpoint() {
        return Stream.of(
                ApiCall.send("POST", "/api/tenants/{tenant}/sync-runs", "{\"mode\":\"delta\"}", 202),
                ApiCall.get("/api/tenants/{tenant}/sync-runs", 200),
                ApiCall.get("/api/tenants/{tenant}/sync-runs?limit=5", 200),
                ApiCall.get("/api/tenants/{tenant}/sync-runs/no-such-run", 404),
                ApiCall.get("/api/tenants/{tenant}/schedule", 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void a_token_for_tenant_a_gets_403_on_tenant_b_writes_nothing_and_works_on_a(ApiCall call) throws Exception {
        String tokenA = TestTokens.bearerForTenants(emulator, List.of(A), Roles.ADMIN, Roles.WRITER, Roles.READER);
        Map<String, String> before = fingerprint(B);
        call.sendFor(B, tokenA).then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("'" + B + "'")).body("errors[0].field", equalTo("tenantId"));
        assertThat(fingerprint(B)).as("nothing written for " + B).isEqualTo(before);
        settle(A, call.sendFor(A, tokenA).then().statusCode(call.allowedStatus()).extract().response());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void the_operator_role_works_on_both_tenants(ApiCall call) {
        String operator = TestTokens.bearer(emulator, Roles.ADMIN, Roles.READER);
        for (String tenant : List.of(A, B)) {
            settle(tenant, call.sendFor(tenant, operator).then().statusCode(call.allowedStatus()).extract().response());
        }
    }

    static Stream<Arguments> badInput() {
        String runs = "/api/tenants/{tenant}/sync-runs";
        return Stream.of(
                Arguments.of(ApiCall.send("POST", runs, "{\"mode\":", 0), 400, "body"),
                Arguments.of(ApiCall.send("POST", runs, "[\"delta\"]", 0), 400, "body"),
                Arguments.of(ApiCall.send("POST", runs, "{\"mode\":\"delta\"} {}", 0), 400, "body"),
                Arguments.of(ApiCall.send("POST", runs, "{\"mode\":\"sideways\"}", 0), 400, "mode"),
                Arguments.of(ApiCall.send("POST", runs, "{\"mode\":7}", 0), 400, "mode"),
                Arguments.of(ApiCall.send("POST", runs, "{\"limitUsers\":\"ten\"}", 0), 400, "limitUsers"),
                Arguments.of(ApiCall.send("POST", runs, "{\"limitUsers\":2.5}", 0), 400, "limitUsers"),
                Arguments.of(ApiCall.send("POST", runs, "{\"limitUsers\":0}", 0), 400, "limitUsers"),
                Arguments.of(ApiCall.send("POST", runs, "{\"resources\":\"users\"}", 0), 400, "resources"),
                Arguments.of(ApiCall.send("POST", runs, "{\"resources\":[\"printers\"]}", 0), 400, "resources"),
                Arguments.of(ApiCall.send("POST", runs, "{\"mode\":\"delta\",\"force\":true}", 0), 400, "force"),
                Arguments.of(ApiCall.send("POST", runs, "{\"mode\":\"" + "x".repeat(20_000) + "\"}", 0), 413, "body"),
                Arguments.of(ApiCall.get(runs + "?limit=0", 0), 422, "limit"),
                Arguments.of(ApiCall.get(runs + "?limit=-5", 0), 422, "limit"),
                Arguments.of(ApiCall.get(runs + "?limit=501", 0), 422, "limit"),
                Arguments.of(ApiCall.get(runs + "?limit=many", 0), 400, "limit"),
                Arguments.of(ApiCall.get(runs + "?limit=99999999999", 0), 400, "limit"));
    }

    @ParameterizedTest(name = "{0} → {1} naming {2}")
    @MethodSource("badInput")
    void bad_input_is_refused_whole_naming_the_field(ApiCall call, int status, String field) throws Exception {
        Map<String, String> before = fingerprint(A);
        call.sendFor(A, TestTokens.bearer(emulator, Roles.ADMIN, Roles.READER))
                .then().statusCode(status).contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem(field));
        assertThat(fingerprint(A)).as("nothing written").isEqualTo(before);
    }

    /** A started run is waited for, so the next row sees a quiet tenant (and no 409). */
    private void settle(String tenant, Response response) {
        if (response.statusCode() == 202) {
            support.awaitEnd(tenant, response.path("runId"), Duration.ofMinutes(1));
        }
    }

    private Map<String, String> fingerprint(String tenant) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            return SchemaFingerprint.of(c, "poller", tenant);
        }
    }
}
