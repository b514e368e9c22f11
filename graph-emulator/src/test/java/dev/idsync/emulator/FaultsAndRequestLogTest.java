package dev.idsync.emulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FaultsAndRequestLogTest {

    private String tenant;
    private String token;

    @BeforeEach
    void tenant() {
        tenant = EmulatorClient.createTenant("faults");
        EmulatorClient.seed(tenant, 30, 3, 40, 1, 4);
        token = EmulatorClient.appToken(tenant);
    }

    @AfterEach
    void clear() {
        RestAssured.delete("/_emulator/faults").then().statusCode(204);
    }

    @Test
    void throttleFaultAnswers429WithRetryAfterAsGraphDoesForItsCount() {
        fault(Map.of("path", "/v1.0/users/delta", "type", "THROTTLE", "retryAfterSeconds", 7, "count", 1));

        Response throttled = EmulatorClient.graphGet(token, "/v1.0/users/delta", null);
        Response next = EmulatorClient.graphGet(token, "/v1.0/users/delta", null);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isEqualTo("7");
        assertThat(throttled.header("Date")).isNotBlank();
        assertThat(throttled.jsonPath().getString("error.code")).isEqualTo("TooManyRequests");
        assertThat(next.statusCode()).isEqualTo(200);
    }

    @Test
    void latencyFaultDelaysTheResponse() {
        fault(Map.of("path", "/v1.0/groups/delta", "type", "LATENCY", "latencyMillis", 700, "count", 1));

        long started = System.nanoTime();
        Response response = EmulatorClient.graphGet(token, "/v1.0/groups/delta", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    @Test
    void ratioFaultsHitAShareOfRequestsReproducibly() {
        fault(Map.of("path", "/v1.0/users/delta", "type", "UNAVAILABLE", "ratio", 0.5, "seed", 3));

        long failures = java.util.stream.IntStream.range(0, 40)
                .map(i -> EmulatorClient.graphGet(token, "/v1.0/users/delta", null).statusCode())
                .filter(s -> s == 503).count();

        assertThat(failures).isBetween(8L, 32L);
    }

    @Test
    void controlApiAndHealthAreNeverFaulted() {
        fault(Map.of("path", ".*", "type", "UNAVAILABLE"));

        assertThat(given().get("/_emulator/tenants/{t}", tenant).statusCode()).isEqualTo(200);
        assertThat(given().get("/q/health/ready").statusCode()).isEqualTo(200);
        assertThat(EmulatorClient.graphGet(token, "/v1.0/users/delta", null).statusCode()).isEqualTo(503);
    }

    @Test
    void requestLogRecordsGraphCallsWithoutSecrets() {
        RestAssured.delete("/_emulator/requests");
        EmulatorClient.appToken(tenant);
        EmulatorClient.graphGet(token, "/v1.0/users/delta?$select=displayName", "odata.maxpagesize=5");

        List<Map<String, Object>> log = given().get("/_emulator/requests").jsonPath().getList("$");

        assertThat(log).hasSize(2);
        assertThat((String) log.get(0).get("body")).contains("client_secret=[redacted]")
                .doesNotContain(EmulatorClient.CLIENT_SECRET);
        assertThat(log.get(1)).containsEntry("method", "GET").containsEntry("path", "/v1.0/users/delta")
                .containsEntry("status", 200);
        assertThat(((Map<?, ?>) log.get(1).get("headers")).get("prefer")).isEqualTo("odata.maxpagesize=5");
        assertThat(((Map<?, ?>) log.get(1).get("headers")).get("authorization")).isEqualTo("Bearer [redacted]");
    }

    @Test
    void everyResponseCarriesADateHeader() {
        assertThat(given().get("/_emulator/tenants").header("Date")).isNotBlank();
        assertThat(given().get("/q/health").header("Date")).isNotBlank();
        assertThat(EmulatorClient.graphGet(token, "/v1.0/users/nobody", null).header("Date")).isNotBlank();
        assertThat(given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .post("/{t}/oauth2/v2.0/token", tenant).header("Date")).isNotBlank();
    }

    @Test
    void metricsCountServedDeltaPages() {
        EmulatorClient.graphGet(token, "/v1.0/users/delta", null);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics).containsPattern("emulator_delta_pages_total\\{.*resource=\"users\".*} [1-9]");
    }

    private static void fault(Map<String, Object> spec) {
        given().contentType(ContentType.JSON).body(spec).post("/_emulator/faults").then().statusCode(201);
    }
}
