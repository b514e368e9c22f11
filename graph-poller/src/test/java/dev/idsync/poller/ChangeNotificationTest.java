package dev.idsync.poller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserUpserted;
import dev.idsync.poller.notify.SubscriptionKeeper;
import dev.idsync.poller.run.SyncRunLedger;
import dev.idsync.poller.run.SyncRunRecord;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graph change notifications end to end: the emulator's subscriptions and deliveries over HTTP to this poller's
 * endpoint, the runs they trigger on the real broker and database. The tenants' subscriptions are checked every
 * 500 ms (test profile), the debounce window is the default 200 ms.
 */
@QuarkusTest
class ChangeNotificationTest extends PollerQuarkusTest {

    static final String TENANT = "poller-notify";
    static final String CLIENT_STATE = "notify-test-state";
    private static boolean tenantReady;

    @Inject
    SyncRunLedger ledger;

    @Inject
    SubscriptionKeeper keeper;

    @BeforeEach
    void notifiedTenant() {
        if (!tenantReady) {
            support.createTenant(TENANT, 40, 4, 40, 1);
            support.runToCompletion(TENANT, "{\"mode\":\"full\"}", Duration.ofSeconds(60));
            awaitSubscriptions(TENANT, 2);
            tenantReady = true;
        }
    }

    @Test
    void the_validation_handshake_echoes_the_token_as_plain_text_without_a_bearer_token() {
        Response answer = given().queryParam("validationToken", "Validation: Testing client <b>&</b> 42")
                .contentType("text/plain").post("/graph/notifications/{t}", TENANT);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/plain");
        assertThat(answer.asString()).isEqualTo("Validation: Testing client <b>&</b> 42");

        given().queryParam("validationToken", "x").post("/graph/notifications/{t}/lifecycle", TENANT)
                .then().statusCode(200);
        // A tenant without notifications has no endpoint, and the rest of the API still wants a token.
        given().queryParam("validationToken", "x").post("/graph/notifications/{t}", "api-a").then().statusCode(404);
        given().get("/api/tenants/{t}/subscriptions", TENANT).then().statusCode(401);
    }

    @Test
    void subscriptions_for_users_and_groups_are_listed_in_the_api_and_metrics() {
        JsonPath view = given().header("Authorization", support.reader()).get("/api/tenants/{t}/subscriptions", TENANT)
                .then().statusCode(200).extract().jsonPath();
        assertThat(view.getBoolean("enabled")).isTrue();
        assertThat(view.getList("subscriptions.resource")).containsExactly("groups", "users");
        assertThat(view.getString("notificationUrl")).endsWith("/graph/notifications/" + TENANT);

        JsonNode atGraph = support.control().get("/_emulator/tenants/" + TENANT + "/subscriptions");
        assertThat(atGraph).hasSize(2);
        atGraph.forEach(s -> {
            assertThat(s.path("changeType").asText()).isEqualTo("deleted,updated");
            assertThat(s.path("lifecycleNotificationUrl").asText()).endsWith("/graph/notifications/" + TENANT + "/lifecycle");
        });
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("idsync_poller_subscription_expiry_seconds{resource=\"users\",tenant=\"" + TENANT + "\"}");
        // the secret never leaves through the API
        assertThat(view.prettify()).doesNotContain(CLIENT_STATE);
    }

    @Test
    void a_user_change_at_graph_triggers_a_delta_run_of_users_only_that_reads_the_change() {
        int before = notificationRuns(TENANT).size();
        String user = support.snapshot(TENANT).path("users").get(3).path("id").asText();

        mutate(TENANT, "updateUser", user, Map.of("jobTitle", "Notified " + System.nanoTime()));

        await().atMost(Duration.ofSeconds(15)).until(() -> notificationRuns(TENANT).size() > before
                && "completed".equals(notificationRuns(TENANT).get(0).state()));
        SyncRunRecord run = notificationRuns(TENANT).get(0);
        assertThat(run.resources()).containsExactly("users");
        assertThat(run.mode().json()).isEqualTo("delta");
        List<SyncEvent> read = support.pageObservationsOfRun(TENANT, run.runId());
        assertThat(read).anySatisfy(e -> {
            assertThat(e).isInstanceOf(UserUpserted.class);
            assertThat(e.objectId()).isEqualTo(user);
        });
    }

    @Test
    void a_wrong_client_state_is_refused_with_401_counted_and_triggers_no_run() {
        int before = notificationRuns(TENANT).size();
        double rejected = metric("idsync_poller_notifications_rejected_total{reason=\"clientState\",tenant=\"" + TENANT + "\"}");

        Response refused = given().contentType(ContentType.JSON)
                .body(batch("guessed-state", TENANT, "Users/" + "0000", 1))
                .post("/graph/notifications/{t}", TENANT);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("errors[0].field")).isEqualTo("value[0].clientState");
        assertThat(refused.asString()).doesNotContain(CLIENT_STATE);
        assertThat(metric("idsync_poller_notifications_rejected_total{reason=\"clientState\",tenant=\"" + TENANT + "\"}"))
                .isEqualTo(rejected + 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> notificationRuns(TENANT).size() == before);
    }

    @Test
    void a_body_off_graphs_schema_is_refused_with_400_naming_the_field() {
        Response noResource = given().contentType(ContentType.JSON)
                .body("{\"value\":[{\"subscriptionId\":\"s\",\"clientState\":\"" + CLIENT_STATE + "\",\"tenantId\":\""
                        + TENANT + "\",\"changeType\":\"updated\",\"resource\":\"contacts/1\"}]}")
                .post("/graph/notifications/{t}", TENANT);
        assertThat(noResource.statusCode()).isEqualTo(400);
        assertThat(noResource.jsonPath().getString("errors[0].field")).isEqualTo("value[0].resource");

        Response notJson = given().contentType(ContentType.JSON).body("{\"value\":").post("/graph/notifications/{t}", TENANT);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.jsonPath().getString("errors[0].field")).isEqualTo("body");

        Response badEvent = given().contentType(ContentType.JSON)
                .body("{\"value\":[{\"subscriptionId\":\"s\",\"clientState\":\"" + CLIENT_STATE + "\",\"tenantId\":\""
                        + TENANT + "\",\"lifecycleEvent\":\"explode\"}]}")
                .post("/graph/notifications/{t}/lifecycle", TENANT);
        assertThat(badEvent.jsonPath().getString("errors[0].field")).isEqualTo("value[0].lifecycleEvent");

        Response oversized = given().contentType(ContentType.JSON).body("{\"value\":[\"" + "x".repeat(20_000) + "\"]}")
                .post("/graph/notifications/{t}", TENANT);
        assertThat(oversized.statusCode()).isEqualTo(413);
    }

    @Test
    void a_burst_of_1000_notifications_during_a_slow_run_makes_two_runs_that_never_overlap() throws Exception {
        int before = notificationRuns(TENANT).size();
        // The first run is slow (its users page takes 1.5 s), so the burst's later notifications find it running.
        support.addFault(Map.of("path", "/users/delta", "type", "LATENCY", "latencyMillis", 1500, "count", 1));
        // 100 POSTs of 10 notifications in 10 waves over ~0.9 s, as Graph delivers a bulk change; each must be
        // answered within Graph's 3 s.
        String endpoint = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                + "/graph/notifications/" + TENANT;
        List<java.util.concurrent.CompletableFuture<Long>> posts = new ArrayList<>();
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            for (int wave = 0; wave < 10; wave++) {
                for (int i = 0; i < 10; i++) {
                    int n = wave * 10 + i;
                    long sent = System.nanoTime();
                    posts.add(http.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoint))
                                    .header("Content-Type", "application/json")
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                            batch(CLIENT_STATE, TENANT, "Users/burst-" + n, 10))).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding())
                            .thenApply(r -> {
                                assertThat(r.statusCode()).isEqualTo(202);
                                return (System.nanoTime() - sent) / 1_000_000;
                            }));
                }
                Thread.sleep(100);
            }
            for (var post : posts) {
                assertThat(post.get()).isLessThan(3_000L);
            }
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> notificationRuns(TENANT).size() - before == 2
                && notificationRuns(TENANT).stream().noneMatch(r -> "running".equals(r.state())));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> notificationRuns(TENANT).size() - before == 2);
        List<SyncRunRecord> two = notificationRuns(TENANT).subList(0, 2);
        SyncRunRecord later = two.get(0);
        SyncRunRecord earlier = two.get(1);
        assertThat(later.startedAt()).isAfterOrEqualTo(earlier.finishedAt());
        assertThat(two).allSatisfy(r -> assertThat(r.resources()).containsExactly("users"));
    }

    @Test
    void subscription_removed_recreates_the_subscription_and_runs_a_delta_of_its_resource() {
        String old = subscriptionId(TENANT, "groups");
        int before = notificationRuns(TENANT).size();

        support.control().post("/_emulator/tenants/" + TENANT + "/subscriptions/" + old + "/lifecycle",
                "{\"event\":\"subscriptionRemoved\"}");

        await().atMost(Duration.ofSeconds(15)).until(() -> {
            String now = subscriptionId(TENANT, "groups");
            return now != null && !now.equals(old);
        });
        await().atMost(Duration.ofSeconds(15)).until(() -> notificationRuns(TENANT).stream().limit(
                Math.max(0, notificationRuns(TENANT).size() - before)).anyMatch(r -> r.resources().equals(List.of("groups"))));
        JsonNode atGraph = support.control().get("/_emulator/tenants/" + TENANT + "/subscriptions");
        assertThat(atGraph).hasSize(2);
    }

    @Test
    void missed_runs_a_delta_and_reauthorization_required_renews_the_subscription() {
        String users = subscriptionId(TENANT, "users");
        int before = notificationRuns(TENANT).size();

        support.control().post("/_emulator/tenants/" + TENANT + "/subscriptions/" + users + "/lifecycle",
                "{\"event\":\"missed\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> notificationRuns(TENANT).size() > before);
        assertThat(notificationRuns(TENANT).get(0).resources()).containsExactly("users");

        support.control().post("/_emulator/tenants/" + TENANT + "/subscriptions/" + users + "/lifecycle",
                "{\"event\":\"reauthorizationRequired\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> given().header("Authorization", support.reader())
                .get("/api/tenants/{t}/subscriptions", TENANT).jsonPath()
                .getString("subscriptions.find { it.resource == 'users' }.renewedAt") != null);
        assertThat(subscriptionId(TENANT, "users")).isEqualTo(users);
    }

    @Test
    void a_subscription_is_renewed_before_it_expires_under_a_short_emulated_maximum() {
        String tenant = "poller-notify-renew";
        support.createTenant(tenant, 10, 1, 5, 1);
        support.emulatorPut("/_emulator/tenants/" + tenant + "/subscription-settings", "{\"maxLifetime\":\"PT6S\"}");
        support.runToCompletion(tenant, "{\"mode\":\"full\"}", Duration.ofSeconds(60));
        awaitInSync(tenant);
        String id = subscriptionId(tenant, "users");

        // Longer than the maximum later it still exists, renewed in place (lifetime 5 s, renewed below 2.5 s left).
        await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(20)).until(() -> true);
        assertThat(subscriptionId(tenant, "users")).isEqualTo(id);
        assertThat(given().header("Authorization", support.reader()).get("/api/tenants/{t}/subscriptions", tenant)
                .jsonPath().getString("subscriptions[0].renewedAt")).isNotNull();
        JsonNode atGraph = support.control().get("/_emulator/tenants/" + tenant + "/subscriptions");
        assertThat(atGraph).hasSize(1);
        assertThat(atGraph.get(0).path("id").asText()).isEqualTo(id);

        int before = notificationRuns(tenant).size();
        String user = support.snapshot(tenant).path("users").get(0).path("id").asText();
        mutate(tenant, "updateUser", user, Map.of("jobTitle", "still notified"));
        await().atMost(Duration.ofSeconds(15)).until(() -> notificationRuns(tenant).size() > before);
    }

    @Test
    void two_poller_instances_keeping_the_same_tenant_create_one_subscription_set() throws Exception {
        String tenant = "poller-notify-renew";
        support.createTenant(tenant, 10, 1, 5, 1);
        support.emulatorPut("/_emulator/tenants/" + tenant + "/subscription-settings", "{\"maxLifetime\":\"PT1H\"}");
        // Four keepers at once, each on a database session of its own, as four instances would be.
        ExecutorService instances = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = IntStream.range(0, 4).mapToObj(i -> instances.submit(() -> {
                go.await();
                keeper.keep(tenant);
                return null;
            })).collect(java.util.stream.Collectors.toList());
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            instances.shutdownNow();
        }
        awaitInSync(tenant);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                support.control().get("/_emulator/tenants/" + tenant + "/subscriptions").size() == 1);
        assertThat(support.control().get("/_emulator/tenants/" + tenant + "/subscriptions").get(0).path("id").asText())
                .isEqualTo(subscriptionId(tenant, "users"));
    }

    // ---- helpers

    private List<SyncRunRecord> notificationRuns(String tenant) {
        return ledger.recent(tenant, 200).stream().filter(r -> "notification".equals(r.trigger())).toList();
    }

    private void awaitSubscriptions(String tenant, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> given().header("Authorization", support.reader())
                .get("/api/tenants/{t}/subscriptions", tenant).jsonPath().getList("subscriptions").size() == count);
    }

    /** The poller's row and Graph's (the emulator's) only subscription are the same one. */
    private void awaitInSync(String tenant) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode atGraph = support.control().get("/_emulator/tenants/" + tenant + "/subscriptions");
            return atGraph.size() == 1 && atGraph.get(0).path("id").asText().equals(subscriptionId(tenant, "users"));
        });
    }

    private String subscriptionId(String tenant, String resource) {
        return given().header("Authorization", support.reader()).get("/api/tenants/{t}/subscriptions", tenant)
                .jsonPath().getString("subscriptions.find { it.resource == '" + resource + "' }.subscriptionId");
    }

    private void mutate(String tenant, String op, String id, Map<String, Object> properties) {
        try {
            support.control().post("/_emulator/tenants/" + tenant + "/mutations",
                    new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("operations",
                            List.of(Map.of("op", op, "id", id, "properties", properties)))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private double metric(String series) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).orElse(0.0);
    }

    /** A POST body as Graph sends it: {@code count} basic notifications. */
    static String batch(String clientState, String tenant, String resource, int count) {
        StringBuilder body = new StringBuilder("{\"value\":[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"subscriptionId\":\"sub-").append(i).append("\",\"clientState\":\"").append(clientState)
                    .append("\",\"tenantId\":\"").append(tenant).append("\",\"changeType\":\"updated\",\"resource\":\"")
                    .append(resource).append(i).append("\",\"subscriptionExpirationDateTime\":\"2030-01-01T00:00:00Z\"}");
        }
        return body.append("]}").toString();
    }
}
