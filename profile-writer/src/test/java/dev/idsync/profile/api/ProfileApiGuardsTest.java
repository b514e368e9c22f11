package dev.idsync.profile.api;

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
import dev.idsync.profile.Entra;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint of the profile API (read, update, import), table-driven: a token scoped to tenant A gets 403
 * problem+json naming tenant B, and neither Entra nor B's rows see anything; A's token works on A; the
 * operator role works on both. Bad input is refused whole, naming the field, before Entra is asked.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class ProfileApiGuardsTest {

    static final String A = "api-a";
    static final String B = "api-b";
    /** One Entra user both tenants reach (both are the emulator's contoso), made once for all rows. */
    static String user;

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;
    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void an_entra_user() {
        user = new Entra(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue(EmulatorConfig.URL, String.class)).createUser("Guarded User");
    }

    static Stream<ApiCall> everyEndpoint() {
        String u = "/api/tenants/{tenant}/users/{user}";
        return Stream.of(
                ApiCall.get(u + "/profile", 200),
                ApiCall.send("PATCH", u + "/profile", "{\"entra\":{\"officeLocation\":\"Room 1\"},\"local\":{\"remoteWork\":true}}", 200),
                ApiCall.send("POST", u + "/import", null, 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void a_token_for_tenant_a_gets_403_on_tenant_b_writes_nothing_and_works_on_a(ApiCall call) throws Exception {
        ApiCall forUser = forUser(call);
        Entra entra = new Entra(emulator);
        String tokenA = TestTokens.bearerForTenants(emulator, List.of(A), Roles.ADMIN, Roles.WRITER, Roles.READER);
        Map<String, String> before = fingerprint(B);
        int graphCalls = entra.requestsFor(user, null).size();
        forUser.sendFor(B, tokenA).then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("'" + B + "'")).body("errors[0].field", equalTo("tenant"));
        assertThat(fingerprint(B)).as("nothing of " + B + " written").isEqualTo(before);
        assertThat(entra.requestsFor(user, null)).as("Entra not asked").hasSize(graphCalls);
        forUser.sendFor(A, tokenA).then().statusCode(call.allowedStatus());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void the_operator_role_works_on_both_tenants(ApiCall call) {
        String operator = TestTokens.bearer(emulator, Roles.ADMIN, Roles.WRITER, Roles.READER);
        for (String tenant : List.of(A, B)) {
            forUser(call).sendFor(tenant, operator).then().statusCode(call.allowedStatus());
        }
    }

    static Stream<Arguments> badInput() {
        String profile = "/api/tenants/{tenant}/users/{user}/profile";
        return Stream.of(
                Arguments.of(ApiCall.send("PATCH", profile, "{\"entra\":", 0), 400, "body"),
                Arguments.of(ApiCall.send("PATCH", profile, "{\"local\":{}} []", 0), 400, "body"),
                Arguments.of(ApiCall.send("PATCH", profile, "[\"entra\"]", 0), 422, "body"),
                Arguments.of(ApiCall.send("PATCH", profile, "{}", 0), 422, "body"),
                Arguments.of(ApiCall.send("PATCH", profile, "{\"entra\":{\"officeLocation\":\"x\"},\"extra\":1}", 0), 422, "extra"),
                Arguments.of(ApiCall.send("PATCH", profile, "{\"entra\":{\"shoeSize\":44}}", 0), 422, "entra.shoeSize"),
                Arguments.of(ApiCall.send("PATCH", profile, "{\"entra\":{\"officeLocation\":7}}", 0), 422, "entra.officeLocation"),
                Arguments.of(ApiCall.send("PATCH", profile, "{\"entra\":\"Room 1\"}", 0), 422, "entra"),
                Arguments.of(ApiCall.send("PATCH", profile, "{\"entra\":{\"officeLocation\":\"" + "x".repeat(70_000) + "\"}}", 0),
                        413, "body"));
    }

    @ParameterizedTest(name = "{0} → {1} naming {2}")
    @MethodSource("badInput")
    void bad_input_is_refused_whole_naming_the_field_before_entra_is_asked(ApiCall call, int status, String field)
            throws Exception {
        Entra entra = new Entra(emulator);
        Map<String, String> before = fingerprint(A);
        int patches = entra.requestsFor(user, "PATCH").size();
        forUser(call).sendFor(A, TestTokens.bearer(emulator, Roles.WRITER))
                .then().statusCode(status).contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem(field));
        assertThat(fingerprint(A)).as("nothing written").isEqualTo(before);
        assertThat(entra.requestsFor(user, "PATCH")).as("Entra not changed").hasSize(patches);
    }

    private static ApiCall forUser(ApiCall call) {
        return new ApiCall(call.method(), call.path().replace("{user}", user), call.contentType(), call.body(),
                call.allowedStatus());
    }

    private Map<String, String> fingerprint(String tenant) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            return SchemaFingerprint.of(c, "profile", tenant);
        }
    }
}
