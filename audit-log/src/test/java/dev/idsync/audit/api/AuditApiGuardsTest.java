package dev.idsync.audit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.idsync.api.Problem;
import dev.idsync.api.Roles;
import dev.idsync.audit.AuditTestSupport;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.ApiCall;
import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.EventTopicProbe;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint of the audit API (query, export, verify; the tenant is a query parameter), table-driven: a
 * token scoped to tenant A gets 403 problem+json naming tenant B, also when B hides behind a second
 * {@code tenant} parameter; A's token reads A; the operator role reads both. Bad input is refused whole,
 * naming the parameter.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class AuditApiGuardsTest {

    static final String A = "audit-api-a";
    static final String B = "audit-api-b";

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void both_tenants_have_an_audited_event() throws Exception {
        for (String tenant : List.of(A, B)) {
            if (AuditTestSupport.count(dataSource, tenant) == 0) {
                EventTopicProbe.publish(bootstrap, List.of(new UserUpserted(tenant, "u1", "run-1", 1,
                        Instant.parse("2026-11-23T10:00:00Z"), Map.of("displayName", "User 1"))));
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                AuditTestSupport.count(dataSource, A) == 1 && AuditTestSupport.count(dataSource, B) == 1);
    }

    static Stream<ApiCall> everyEndpoint() {
        return Stream.of(
                ApiCall.get("/api/audit/events?tenant={tenant}", 200),
                ApiCall.get("/api/audit/events?tenant={tenant}&limit=10&type=user.upserted.v1", 200),
                ApiCall.get("/api/audit/export?tenant={tenant}", 200),
                ApiCall.get("/api/audit/export?tenant={tenant}&format=csv", 200),
                ApiCall.get("/api/audit/verify?tenant={tenant}", 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void a_token_for_tenant_a_gets_403_on_tenant_b_and_reads_a(ApiCall call) {
        String tokenA = TestTokens.bearerForTenants(emulator, List.of(A), Roles.READER);
        call.sendFor(B, tokenA).then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("'" + B + "'")).body("errors[0].field", equalTo("tenant"));
        // A second tenant parameter must not smuggle B past the check of the first.
        ApiCall smuggled = new ApiCall(call.method(), call.path() + "&tenant=" + B, null, null, 0);
        smuggled.sendFor(A, tokenA).then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        call.sendFor(A, tokenA).then().statusCode(call.allowedStatus());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void the_operator_role_reads_both_tenants(ApiCall call) {
        String operator = TestTokens.bearer(emulator, Roles.READER);
        for (String tenant : List.of(A, B)) {
            call.sendFor(tenant, operator).then().statusCode(call.allowedStatus());
        }
    }

    static Stream<Arguments> badInput() {
        String events = "/api/audit/events?tenant={tenant}";
        return Stream.of(
                Arguments.of(ApiCall.get("/api/audit/events", 0), 400, "tenant"),
                Arguments.of(ApiCall.get("/api/audit/verify", 0), 400, "tenant"),
                Arguments.of(ApiCall.get(events + "&limit=0", 0), 400, "limit"),
                Arguments.of(ApiCall.get(events + "&limit=-1", 0), 400, "limit"),
                Arguments.of(ApiCall.get(events + "&limit=1001", 0), 400, "limit"),
                Arguments.of(ApiCall.get(events + "&limit=ten", 0), 400, "limit"),
                Arguments.of(ApiCall.get(events + "&limit=99999999999", 0), 400, "limit"),
                Arguments.of(ApiCall.get(events + "&cursor=not-a-cursor", 0), 400, "cursor"),
                Arguments.of(ApiCall.get(events + "&from=yesterday", 0), 400, "from"),
                Arguments.of(ApiCall.get(events + "&from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z", 0), 400, "to"),
                Arguments.of(ApiCall.get("/api/audit/export?tenant={tenant}&format=xml", 0), 400, "format"),
                Arguments.of(ApiCall.send("GET", events, "{\"x\":\"" + "y".repeat(20_000) + "\"}", 0), 413, "body"));
    }

    @ParameterizedTest(name = "{0} → {1} naming {2}")
    @MethodSource("badInput")
    void bad_input_is_refused_whole_naming_the_parameter(ApiCall call, int status, String field) throws Exception {
        long before = AuditTestSupport.count(dataSource, A);
        call.sendFor(A, TestTokens.bearer(emulator, Roles.READER))
                .then().statusCode(status).contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem(field));
        assertThat(AuditTestSupport.count(dataSource, A)).isEqualTo(before);
    }
}
