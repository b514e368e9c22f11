package dev.idsync.poller.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idsync.api.Roles;
import dev.idsync.config.SelectDefaults;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunFailed;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.events.Topics;
import dev.idsync.infra.test.EmulatorControl;
import dev.idsync.infra.test.TestTokens;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the poller's tests share: emulator tenants, runs over the HTTP API, observations read back and folded. */
public final class PollerTestSupport {

    public static final String CLIENT_ID = "idsync-poller";
    /** The value of IDSYNC_POLLER_TEST_SECRET in the test profile: opens only the in-memory emulator. */
    public static final String CLIENT_SECRET = "poller-test-only";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String emulatorUrl;
    private final String bootstrapServers;
    private final EmulatorControl control;
    private String adminToken;
    private String readerToken;

    public PollerTestSupport(String emulatorUrl, String bootstrapServers) {
        this.emulatorUrl = emulatorUrl;
        this.bootstrapServers = bootstrapServers;
        this.control = EmulatorControl.at(emulatorUrl);
    }

    public EmulatorControl control() {
        return control;
    }

    /** A fresh emulator tenant with the poller's app registration, seeded deterministically. */
    public void createTenant(String tenantId, int users, int groups, int memberships, int roles) {
        try {
            control.delete("/_emulator/tenants/" + tenantId);
        } catch (IllegalStateException absent) {
            // first use in this JVM
        }
        ObjectNode tenant = JSON.createObjectNode();
        tenant.put("tenantId", tenantId);
        tenant.put("displayName", tenantId);
        tenant.putArray("domains").add(tenantId + ".example");
        ObjectNode app = tenant.putArray("apps").addObject();
        app.put("clientId", CLIENT_ID);
        app.put("clientSecret", CLIENT_SECRET);
        app.putArray("permissions").add("User.Read.All").add("Group.Read.All").add("Directory.Read.All");
        control.post("/_emulator/tenants", tenant.toString());
        control.post("/_emulator/tenants/" + tenantId + "/seed", "{\"users\":" + users + ",\"groups\":" + groups
                + ",\"memberships\":" + memberships + ",\"directoryRoles\":" + roles + ",\"disabledRatio\":0.05,\"seed\":"
                + Math.abs(tenantId.hashCode()) + "}");
    }

    /** Changes the emulator tenant's behaviour (graph-emulator/README.md, settings). */
    public void emulatorSettings(String tenantId, String json) {
        emulatorPut("/_emulator/tenants/" + tenantId + "/settings", json);
    }

    /** PUT to the emulator's control API (200 expected). */
    public void emulatorPut(String path, String json) {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        emulatorUrl.replaceAll("/$", "") + path))
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                .build();
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("PUT " + path + ": " + response.statusCode() + " " + response.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String admin() {
        if (adminToken == null) {
            adminToken = TestTokens.bearer(emulatorUrl, Roles.ADMIN);
        }
        return adminToken;
    }

    public String reader() {
        if (readerToken == null) {
            readerToken = TestTokens.bearer(emulatorUrl, Roles.READER);
        }
        return readerToken;
    }

    /** POSTs a run and returns its id (202 expected). */
    public String startRun(String tenantId, String body) {
        return given().header("Authorization", admin()).contentType("application/json").body(body)
                .when().post("/api/tenants/{t}/sync-runs", tenantId)
                .then().statusCode(202).extract().path("runId");
    }

    public JsonPath run(String tenantId, String runId) {
        return given().header("Authorization", reader()).when().get("/api/tenants/{t}/sync-runs/{r}", tenantId, runId)
                .then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the run has ended and returns it as the API shows it. */
    public JsonPath awaitEnd(String tenantId, String runId, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> !"running".equals(run(tenantId, runId).getString("state")));
        return run(tenantId, runId);
    }

    public JsonPath runToCompletion(String tenantId, String body, Duration atMost) {
        JsonPath run = awaitEnd(tenantId, startRun(tenantId, body), atMost);
        if (!"completed".equals(run.getString("state"))) {
            throw new AssertionError("run did not complete: " + run.prettify());
        }
        return run;
    }

    /** Every observation of the tenant, run markers included, in the order of its partition. */
    public List<SyncEvent> observations(String tenantId) {
        return TopicReader.events(bootstrapServers, Topics.GRAPH_OBSERVATIONS, tenantId);
    }

    /** What the pages of one run said: its observations without the run markers. */
    public List<SyncEvent> pageObservationsOfRun(String tenantId, String runId) {
        return observations(tenantId).stream().filter(e -> runId.equals(e.runId()))
                .filter(e -> !isRunMarker(e)).toList();
    }

    public static boolean isRunMarker(SyncEvent e) {
        return e instanceof SyncRunStarted || e instanceof SyncRunCompleted || e instanceof SyncRunFailed;
    }

    public List<SyncEvent> events(String topic, String tenantId) {
        return TopicReader.events(bootstrapServers, topic, tenantId);
    }

    public JsonNode snapshot(String tenantId) {
        return control.get("/_emulator/tenants/" + tenantId + "/snapshot");
    }

    public DirectoryView snapshotView(String tenantId) {
        return DirectoryView.fromSnapshot(snapshot(tenantId), SelectDefaults.USERS, SelectDefaults.GROUPS,
                SelectDefaults.DIRECTORY_ROLES);
    }

    /** The emulator's request log for Graph paths matching the regex. */
    public List<JsonNode> requests(String pathRegex) {
        List<JsonNode> out = new ArrayList<>();
        control.get("/_emulator/requests?path=" + java.net.URLEncoder.encode(pathRegex,
                java.nio.charset.StandardCharsets.UTF_8)).forEach(out::add);
        return out;
    }

    public String addFault(Map<String, Object> spec) {
        try {
            return control.post("/_emulator/faults", JSON.writeValueAsString(spec)).path("id").asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void clearFaults() {
        control.delete("/_emulator/faults");
    }
}
