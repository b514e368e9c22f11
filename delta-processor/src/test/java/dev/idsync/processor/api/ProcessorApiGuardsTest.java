package dev.idsync.processor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.idsync.api.Problem;
import dev.idsync.api.Roles;
import dev.idsync.infra.test.ApiCall;
import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.SchemaFingerprint;
import dev.idsync.infra.test.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint of delta-processor's API (directory, dry runs, pending deletions), table-driven: a token
 * scoped to tenant A gets 403 problem+json naming tenant B and nothing of B changes (its held deletion stays
 * held); A's token works on A; the operator role works on both. And bad input is refused whole, naming the
 * parameter.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class ProcessorApiGuardsTest {

    static final String A = "api-a";
    static final String B = "api-b";

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;
    @Inject
    AgroalDataSource dataSource;

    /** B holds a deletion an admin could approve: a refused approval must leave it held. */
    @BeforeEach
    void tenant_b_holds_a_deletion() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement run = c.prepareStatement("""
                    insert into directory.sync_runs (tenant_id, run_id, mode, status, started_at, finished_at, gate)
                    values (?, 'held-run', 'full', 'completed', now(), now(), 'held')
                    on conflict (tenant_id, run_id) do update set gate = 'held'""")) {
                run.setString(1, B);
                run.executeUpdate();
            }
            try (PreparedStatement held = c.prepareStatement("""
                    insert into directory.deletions (tenant_id, run_id, object_id, kind, reason, source, observed_at, status)
                    values (?, 'held-run', 'user-1', 'user', 'softDeleted', 'event', now(), 'held')
                    on conflict (tenant_id, run_id, object_id)
                    do update set status = 'held', decided_at = null, decided_by = null""")) {
                held.setString(1, B);
                held.executeUpdate();
            }
        }
    }

    static Stream<ApiCall> everyEndpoint() {
        String t = "/api/tenants/{tenant}";
        return Stream.of(
                ApiCall.get(t + "/users", 200),
                ApiCall.get(t + "/users/export.xlsx", 200),
                ApiCall.get(t + "/users/no-such-user", 404),
                ApiCall.get(t + "/groups", 200),
                ApiCall.get(t + "/groups/no-such-group", 404),
                ApiCall.get(t + "/groups/no-such-group/members", 404),
                ApiCall.get(t + "/sync-status", 200),
                ApiCall.get(t + "/dry-runs/no-such-run", 404),
                ApiCall.get(t + "/dry-runs/no-such-run/export.xlsx", 404),
                ApiCall.get(t + "/pending-deletions", 200),
                ApiCall.send("POST", t + "/pending-deletions/approve", null, 200),
                ApiCall.send("POST", t + "/pending-deletions/reject?runId=held-run", null, 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void a_token_for_tenant_a_gets_403_on_tenant_b_writes_nothing_and_works_on_a(ApiCall call) throws Exception {
        String tokenA = TestTokens.bearerForTenants(emulator, List.of(A), Roles.ADMIN, Roles.WRITER, Roles.READER);
        Map<String, String> before = fingerprint(B);
        call.sendFor(B, tokenA).then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("'" + B + "'")).body("errors[0].field", equalTo("tenant"));
        assertThat(fingerprint(B)).as("nothing of " + B + " written").isEqualTo(before);
        call.sendFor(A, tokenA).then().statusCode(call.allowedStatus());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void the_operator_role_works_on_both_tenants(ApiCall call) {
        String operator = TestTokens.bearer(emulator, Roles.ADMIN, Roles.READER);
        for (String tenant : List.of(A, B)) {
            call.sendFor(tenant, operator).then().statusCode(call.allowedStatus());
        }
    }

    static Stream<Arguments> badInput() {
        String t = "/api/tenants/{tenant}";
        return Stream.of(
                Arguments.of(ApiCall.get(t + "/users?size=0", 0), 422, "size"),
                Arguments.of(ApiCall.get(t + "/users?size=-1", 0), 422, "size"),
                Arguments.of(ApiCall.get(t + "/users?size=1001", 0), 422, "size"),
                Arguments.of(ApiCall.get(t + "/users?size=lots", 0), 400, "size"),
                Arguments.of(ApiCall.get(t + "/users?page=-1", 0), 422, "page"),
                Arguments.of(ApiCall.get(t + "/users?page=99999999999", 0), 400, "page"),
                Arguments.of(ApiCall.get(t + "/users?state=sleeping", 0), 422, "state"),
                Arguments.of(ApiCall.get(t + "/users?stale=maybe", 0), 400, "stale"),
                Arguments.of(ApiCall.get(t + "/users/export.xlsx?state=sleeping", 0), 422, "state"),
                Arguments.of(ApiCall.get(t + "/groups?size=0", 0), 422, "size"),
                Arguments.of(ApiCall.get(t + "/groups?page=-3", 0), 422, "page"),
                Arguments.of(ApiCall.get(t + "/groups/g1/members?size=5000", 0), 422, "size"),
                Arguments.of(ApiCall.get(t + "/dry-runs/r1?action=explode", 0), 422, "action"),
                Arguments.of(ApiCall.get(t + "/dry-runs/r1?kind=printer", 0), 422, "kind"),
                Arguments.of(ApiCall.get(t + "/dry-runs/r1?size=0", 0), 422, "size"),
                Arguments.of(ApiCall.get(t + "/pending-deletions?size=1001", 0), 422, "size"),
                Arguments.of(ApiCall.get(t + "/pending-deletions?page=x", 0), 400, "page"),
                Arguments.of(ApiCall.send("POST", t + "/pending-deletions/approve", "{\"x\":\"" + "y".repeat(20_000) + "\"}", 0),
                        413, "body"));
    }

    @ParameterizedTest(name = "{0} → {1} naming {2}")
    @MethodSource("badInput")
    void bad_input_is_refused_whole_naming_the_parameter(ApiCall call, int status, String field) throws Exception {
        Map<String, String> before = fingerprint(B);
        call.sendFor(B, TestTokens.bearer(emulator, Roles.ADMIN, Roles.READER))
                .then().statusCode(status).contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem(field));
        assertThat(fingerprint(B)).as("nothing written").isEqualTo(before);
    }

    private Map<String, String> fingerprint(String tenant) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            return SchemaFingerprint.of(c, "directory", tenant);
        }
    }
}
