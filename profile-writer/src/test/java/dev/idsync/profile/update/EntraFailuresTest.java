package dev.idsync.profile.update;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.idsync.api.Roles;
import dev.idsync.events.ProfileUpdateRejected;
import dev.idsync.events.ProfileUpdated;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import dev.idsync.profile.Entra;
import dev.idsync.profile.LocalRows;
import dev.idsync.profile.UserEvents;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reference 000's error table with real Graph answers: when Entra refuses or fails, the client gets the
 * documented error, nothing is stored locally and only {@code profile.update-rejected} is published.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class EntraFailuresTest {

    static final String BODY = "{\"entra\": {\"jobTitle\": \"Refused\"}, \"local\": {\"employeeType\": \"contractor\"}}";

    @ConfigProperty(name = "idsync.test.emulator.url")
    String emulatorUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource dataSource;

    Entra entra;
    String writer;

    @BeforeEach
    void setUp() {
        entra = new Entra(emulatorUrl);
        writer = TestTokens.bearer(emulatorUrl, Roles.WRITER);
    }

    private ValidatableResponse patch(String tenant, String userId) {
        return given().header("Authorization", writer).contentType(ContentType.JSON).body(BODY)
                .when().patch("/api/tenants/{t}/users/{id}/profile", tenant, userId).then();
    }

    /** Nothing stored, only the rejection on the profile topic, no user.upserted; returns the rejection. */
    private ProfileUpdateRejected onlyRejected(String tenant, String userId, String reason, int status) {
        assertThat(LocalRows.of(dataSource, tenant, userId)).isEmpty();
        String key = tenant + ":" + userId;
        List<SyncEvent> profile = UserEvents.eventsOf(bootstrap, Topics.PROFILE_CHANGES, key, seen -> !seen.isEmpty());
        assertThat(profile).hasSize(1).noneMatch(ProfileUpdated.class::isInstance);
        ProfileUpdateRejected rejected = (ProfileUpdateRejected) profile.get(0);
        assertThat(rejected.data().reason()).isEqualTo(reason);
        assertThat(rejected.data().status()).isEqualTo(status);
        assertThat(rejected.data().actor()).isEqualTo("test-user");
        assertThat(rejected.data().requested()).containsEntry("jobTitle", "Refused")
                .containsEntry("local.employeeType", "contractor");
        // No observation of this user: an import's afterwards is the only one there.
        if (tenant.equals("contoso")) {
            given().header("Authorization", writer).post("/api/tenants/contoso/users/{id}/import", userId)
                    .then().statusCode(200);
            List<SyncEvent> users = UserEvents.observationsOf(bootstrap, tenant, userId, seen -> !seen.isEmpty());
            assertThat(users).hasSize(1).allMatch(e -> e.runId().startsWith("import-"));
        }
        return rejected;
    }

    @Test
    void graph_403_on_patch_is_502_access_denied_naming_the_missing_permission() {
        String userId = entra.createUser("Read Only Target");

        patch("contoso-readonly", userId).statusCode(502).contentType("application/problem+json")
                .body("title", equalTo("Access denied"))
                .body("detail", containsString("User.ReadWrite.All"));

        assertThat(entra.requestsFor(userId, "PATCH")).singleElement()
                .satisfies(r -> assertThat(r.path("status").asInt()).isEqualTo(403));
        assertThat(entra.user(userId, "jobTitle").path("jobTitle").asText()).isEqualTo("Developer");
        onlyRejected("contoso-readonly", userId, "accessDenied", 502);
    }

    @Test
    void graph_503_that_outlasts_the_retries_is_503_with_retry_after_and_nothing_stored() {
        String userId = entra.createUser("Unavailable Target");
        String fault = entra.fault(userId, "PATCH", "UNAVAILABLE", 1, null);
        try {
            patch("contoso", userId).statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "1");
        } finally {
            entra.removeFault(fault);
        }
        // graph-access' policy in tests: 4 attempts, each waiting the Retry-After Graph gave.
        assertThat(entra.requestsFor(userId, "PATCH")).hasSize(4)
                .allSatisfy(r -> assertThat(r.path("status").asInt()).isEqualTo(503));
        onlyRejected("contoso", userId, "graphUnavailable", 503);
    }

    @Test
    void graph_429_for_longer_than_the_service_waits_in_line_is_503_with_graphs_retry_after() {
        String userId = entra.createUser("Throttled Target");
        String fault = entra.fault(userId, "PATCH", "THROTTLE", 120, null);
        try {
            patch("contoso", userId).statusCode(503).header("Retry-After", "120");
        } finally {
            entra.removeFault(fault);
        }
        assertThat(entra.requestsFor(userId, "PATCH")).hasSize(1);
        onlyRejected("contoso", userId, "graphUnavailable", 503);
    }

    @Test
    void a_short_throttling_is_retried_and_the_update_succeeds() {
        String userId = entra.createUser("Briefly Throttled");
        String fault = entra.fault(userId, "PATCH", "THROTTLE", 1, 2);
        try {
            patch("contoso", userId).statusCode(200).body("entra.jobTitle", equalTo("Refused"));
        } finally {
            entra.removeFault(fault);
        }
        assertThat(entra.requestsFor(userId, "PATCH")).extracting(r -> r.path("status").asInt())
                .containsExactly(429, 429, 204);
        assertThat(LocalRows.of(dataSource, "contoso", userId)).isPresent();
    }

    @Test
    void an_unknown_user_is_404_user_not_found() {
        String userId = UUID.randomUUID().toString();
        patch("contoso", userId).statusCode(404).body("title", equalTo("User not found"));
        assertThat(entra.requestsFor(userId, "PATCH")).isEmpty();
        assertThat(LocalRows.of(dataSource, "contoso", userId)).isEmpty();
        ProfileUpdateRejected rejected = (ProfileUpdateRejected) UserEvents.eventsOf(bootstrap, Topics.PROFILE_CHANGES,
                "contoso:" + userId, seen -> !seen.isEmpty()).get(0);
        assertThat(rejected.data().reason()).isEqualTo("userNotFound");
        assertThat(rejected.data().status()).isEqualTo(404);
    }

    @Test
    void a_refused_app_secret_is_502_no_valid_admin_token() {
        String userId = entra.createUser("No Token Target");
        patch("contoso-badsecret", userId).statusCode(502).contentType("application/problem+json")
                .body("title", equalTo("No valid admin token"));
        assertThat(entra.requestsFor(userId, null)).isEmpty();
        onlyRejected("contoso-badsecret", userId, "noAdminToken", 502);
    }

    @Test
    void an_unknown_tenant_is_404_and_touches_nothing() {
        given().header("Authorization", writer).contentType(ContentType.JSON).body(BODY)
                .when().patch("/api/tenants/nowhere/users/{id}/profile", "u1")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void a_missing_token_is_401_and_a_reader_token_may_not_update() {
        given().contentType(ContentType.JSON).body(BODY)
                .when().patch("/api/tenants/contoso/users/{id}/profile", "u1")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", TestTokens.bearer(emulatorUrl, Roles.READER)).contentType(ContentType.JSON)
                .body(BODY).when().patch("/api/tenants/contoso/users/{id}/profile", "u1")
                .then().statusCode(403).contentType("application/problem+json");
        given().when().post("/api/tenants/contoso/users/{id}/import", "u1").then().statusCode(401);
        given().header("Authorization", TestTokens.bearer(emulatorUrl, Roles.READER))
                .when().post("/api/tenants/contoso/users/{id}/import", "u1").then().statusCode(403);
        given().when().get("/api/tenants/contoso/users/{id}/profile", "u1").then().statusCode(401);
    }

    @Test
    void rejections_by_reason_updates_and_graph_latency_are_prometheus_metrics() {
        String userId = entra.createUser("Metrics Target");
        patch("contoso", userId).statusCode(200);
        patch("contoso", UUID.randomUUID().toString()).statusCode(404);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("idsync_profile_updates_total{tenant=\"contoso\"}"))
                .body(containsString("idsync_profile_rejections_total{reason=\"userNotFound\",tenant=\"contoso\"}"))
                .body(containsString("idsync_profile_graph_requests_seconds_count{operation=\"patch\",outcome=\"ok\",tenant=\"contoso\"}"))
                .body(containsString("idsync_profile_graph_requests_seconds_sum{operation=\"read\""));
    }
}
