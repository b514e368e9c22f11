package dev.idsync.emulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Graph's change notifications as the emulator serves them: /v1.0/subscriptions, deliveries, faults, lifecycle. */
@QuarkusTest
class ChangeNotificationsTest {

    private String tenant;
    private String token;
    private NotificationReceiver receiver;

    @BeforeEach
    void tenant() throws Exception {
        tenant = EmulatorClient.createTenant("notify");
        EmulatorClient.seed(tenant, 20, 3, 20, 1, 5);
        token = EmulatorClient.appToken(tenant);
        receiver = new NotificationReceiver();
    }

    @AfterEach
    void clear() {
        receiver.close();
        RestAssured.delete("/_emulator/faults").then().statusCode(204);
    }

    @Test
    void a_subscription_is_created_only_after_the_endpoint_echoes_the_validation_token() {
        Response created = subscribe("users", Instant.now().plus(Duration.ofHours(1)));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.jsonPath().getString("changeType")).isEqualTo("deleted,updated");
        assertThat(created.jsonPath().getString("resource")).isEqualTo("users");

        receiver.echo.set(false);
        Response refused = subscribe("users", Instant.now().plus(Duration.ofHours(1)));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.jsonPath().getString("error.message")).contains("validation request failed");

        List<Object> listed = given().header("Authorization", "Bearer " + token).get("/v1.0/subscriptions")
                .then().statusCode(200).extract().jsonPath().getList("value");
        assertThat(listed).hasSize(1);
    }

    @Test
    void graphs_validation_rules_refuse_a_bad_subscription() {
        assertThat(subscribe("users", Instant.now().plus(Duration.ofMinutes(41_761))).jsonPath()
                .getString("error.message")).contains("41760 minutes");
        assertThat(subscribe("contacts", Instant.now().plus(Duration.ofHours(1))).statusCode()).isEqualTo(400);
        assertThat(subscribe("users", Instant.now().minusSeconds(5)).statusCode()).isEqualTo(400);
        Response badType = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("resource", "users", "changeType", "updated,renamed", "notificationUrl",
                        receiver.url("/n"), "expirationDateTime", Instant.now().plusSeconds(600).toString()))
                .post("/v1.0/subscriptions");
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(given().contentType(ContentType.JSON).body(Map.of()).post("/v1.0/subscriptions").statusCode())
                .isEqualTo(401);
    }

    @Test
    void an_app_without_read_permission_on_the_resource_gets_403() {
        given().contentType(ContentType.JSON).body(Map.of("clientId", "users-only", "clientSecret",
                        EmulatorClient.CLIENT_SECRET, "permissions", List.of("User.Read.All")))
                .post("/_emulator/tenants/{t}/apps", tenant).then().statusCode(200);
        token = EmulatorClient.appToken(tenant, "users-only");
        assertThat(subscribe("groups", Instant.now().plusSeconds(600)).statusCode()).isEqualTo(403);
        assertThat(subscribe("users", Instant.now().plusSeconds(600)).statusCode()).isEqualTo(201);
    }

    @Test
    void a_change_is_notified_with_client_state_and_without_the_objects_properties() {
        String id = subscribe("users", Instant.now().plusSeconds(600)).jsonPath().getString("id");
        String user = EmulatorClient.snapshot(tenant).getString("users[0].id");

        EmulatorClient.mutate(tenant, List.of(EmulatorClient.op("updateUser", "id", user, "properties",
                Map.of("jobTitle", "Notified"))));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.items().size() == 1);
        JsonNode item = receiver.items().get(0);
        assertThat(item.path("subscriptionId").asText()).isEqualTo(id);
        assertThat(item.path("clientState").asText()).isEqualTo("secret-state");
        assertThat(item.path("changeType").asText()).isEqualTo("updated");
        assertThat(item.path("tenantId").asText()).isEqualTo(tenant);
        assertThat(item.path("resource").asText()).isEqualTo("Users/" + user);
        assertThat(item.toString()).doesNotContain("Notified");
    }

    @Test
    void lost_and_duplicated_notifications_follow_the_fault_api() {
        subscribe("users", Instant.now().plusSeconds(600));
        List<String> users = EmulatorClient.snapshot(tenant).getList("users.id", String.class);
        given().contentType(ContentType.JSON).body(Map.of("path", "/lossy", "type", "NOTIFICATION_LOST", "count", 1))
                .post("/_emulator/faults").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("path", "/lossy", "type", "NOTIFICATION_DUPLICATED", "count", 1))
                .post("/_emulator/faults").then().statusCode(201);

        EmulatorClient.mutate(tenant, List.of(
                EmulatorClient.op("updateUser", "id", users.get(0), "properties", Map.of("jobTitle", "a")),
                EmulatorClient.op("updateUser", "id", users.get(1), "properties", Map.of("jobTitle", "b")),
                EmulatorClient.op("updateUser", "id", users.get(2), "properties", Map.of("jobTitle", "c"))));

        // one of three lost, one of the remaining two twice
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.items().size() == 3);
        List<String> resources = receiver.items().stream().map(i -> i.path("resource").asText()).toList();
        assertThat(resources).doesNotContain("Users/" + users.get(0));
        assertThat(resources).containsExactly("Users/" + users.get(1), "Users/" + users.get(1), "Users/" + users.get(2));
    }

    @Test
    void a_failing_endpoint_is_retried_with_backoff_and_after_the_bound_the_batch_is_dropped_and_missed_sent() {
        given().contentType(ContentType.JSON).body(Map.of("maxDeliveryAttempts", 3, "initialRetryBackoff", "PT0.1S"))
                .put("/_emulator/tenants/{t}/subscription-settings", tenant).then().statusCode(200);
        subscribe("users", Instant.now().plusSeconds(600));
        String user = EmulatorClient.snapshot(tenant).getString("users[0].id");

        receiver.failNext.set(2);
        EmulatorClient.mutate(tenant, List.of(EmulatorClient.op("updateUser", "id", user, "properties",
                Map.of("jobTitle", "retried"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.items().size() == 1);
        assertThat(receiver.failures.get()).isEqualTo(2);

        receiver.failNext.set(3);
        EmulatorClient.mutate(tenant, List.of(EmulatorClient.op("updateUser", "id", user, "properties",
                Map.of("jobTitle", "dropped"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.items().stream()
                .anyMatch(i -> "missed".equals(i.path("lifecycleEvent").asText())));
        List<String> outcomes = given().get("/_emulator/tenants/{t}/notifications", tenant).then().statusCode(200)
                .extract().jsonPath().getList("outcome", String.class);
        assertThat(outcomes).contains("retrying", "dropped", "delivered");
    }

    @Test
    void a_subscription_expires_at_its_expiration_and_can_be_renewed_within_the_maximum() {
        given().contentType(ContentType.JSON).body(Map.of("maxLifetime", "PT3S"))
                .put("/_emulator/tenants/{t}/subscription-settings", tenant).then().statusCode(200);
        assertThat(subscribe("users", Instant.now().plusSeconds(10)).statusCode()).isEqualTo(400);
        String id = subscribe("users", Instant.now().plusSeconds(2)).jsonPath().getString("id");

        Response renewed = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("expirationDateTime", Instant.now().plusSeconds(3).toString()))
                .patch("/v1.0/subscriptions/{id}", id);
        assertThat(renewed.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> given().header("Authorization", "Bearer " + token)
                .get("/v1.0/subscriptions/{id}", id).statusCode() == 404);
    }

    @Test
    void lifecycle_events_go_to_the_lifecycle_url_and_subscription_removed_deletes_it() {
        String id = subscribe("groups", Instant.now().plusSeconds(600)).jsonPath().getString("id");

        given().contentType(ContentType.JSON).body(Map.of("event", "subscriptionRemoved"))
                .post("/_emulator/tenants/{t}/subscriptions/{id}/lifecycle", tenant, id).then().statusCode(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.items().isEmpty());
        JsonNode event = receiver.items().get(0);
        assertThat(event.path("lifecycleEvent").asText()).isEqualTo("subscriptionRemoved");
        assertThat(event.path("clientState").asText()).isEqualTo("secret-state");
        assertThat(receiver.notifications).hasSize(1);
        given().header("Authorization", "Bearer " + token).get("/v1.0/subscriptions/{id}", id).then().statusCode(404);
    }

    private Response subscribe(String resource, Instant expiration) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("resource", resource, "changeType", "updated,deleted",
                        "notificationUrl", receiver.url("/lossy"), "lifecycleNotificationUrl", receiver.url("/lifecycle"),
                        "clientState", "secret-state", "expirationDateTime", expiration.toString()))
                .post("/v1.0/subscriptions");
    }
}
