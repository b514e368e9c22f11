package dev.idsync.systemtests.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idsync.infra.test.EmulatorControl;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A scenario's tenant in the emulator, through its control API: create, seed, mutate, snapshot, request log. */
public final class EmulatorTenant {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every tenant the scenarios created, in order: the reference subscriber check compares each one after its scenario. */
    private static final List<String> CREATED = new ArrayList<>();

    private final EmulatorControl control;
    private final String emulatorUrl;
    private final String tenantId;

    private EmulatorTenant(EmulatorControl control, String emulatorUrl, String tenantId) {
        this.control = control;
        this.emulatorUrl = emulatorUrl;
        this.tenantId = tenantId;
    }

    /** The ids of the tenants created so far in this test JVM, in order of creation. */
    public static synchronized List<String> created() {
        return List.copyOf(CREATED);
    }

    /** A fresh tenant with the stack's app registration (read the directory, write users). */
    public static EmulatorTenant create(Stack stack, ScenarioTenant tenant) {
        EmulatorControl control = EmulatorControl.at(stack.emulatorUrl());
        try {
            control.delete("/_emulator/tenants/" + tenant.id());
        } catch (IllegalStateException absent) {
            // not there yet
        }
        ObjectNode spec = JSON.createObjectNode();
        spec.put("tenantId", tenant.id());
        spec.put("displayName", tenant.displayName());
        spec.putArray("domains").add(tenant.id() + ".example");
        ObjectNode app = spec.putArray("apps").addObject();
        app.put("clientId", Stack.CLIENT_ID);
        app.put("clientSecret", Stack.CLIENT_SECRET);
        app.putArray("permissions").add("User.Read.All").add("Group.Read.All").add("Directory.Read.All")
                .add("User.ReadWrite.All");
        control.post("/_emulator/tenants", spec.toString());
        synchronized (EmulatorTenant.class) {
            CREATED.add(tenant.id());
        }
        return new EmulatorTenant(control, stack.emulatorUrl(), tenant.id());
    }

    public String id() {
        return tenantId;
    }

    public String domain() {
        return tenantId + ".example";
    }

    /** The emulator's deterministic generator (same seed, same ids and values). */
    public void seed(int users, int groups, int memberships, int directoryRoles) {
        control.post("/_emulator/tenants/" + tenantId + "/seed", "{\"users\":" + users + ",\"groups\":" + groups
                + ",\"memberships\":" + memberships + ",\"directoryRoles\":" + directoryRoles
                + ",\"disabledRatio\":0.05,\"seed\":" + Math.abs(tenantId.hashCode()) + "}");
    }

    /** One operation's result: the id it names (a created object's new id) and whether it changed anything. */
    public record Result(String op, String id, boolean changed) {
    }

    /** Applies the operations in order; fails unless every one changed the tenant. Returns the ids the results name. */
    public List<String> mutate(List<Map<String, Object>> operations) {
        List<Result> results = apply(operations);
        List<Result> noOps = results.stream().filter(r -> !r.changed()).toList();
        if (!noOps.isEmpty()) {
            throw new IllegalStateException("operations that changed nothing (a test setup mistake): " + noOps);
        }
        return results.stream().map(Result::id).toList();
    }

    /** Applies the operations in order and returns their results. */
    public List<Result> apply(List<Map<String, Object>> operations) {
        ObjectNode batch = JSON.createObjectNode();
        ArrayNode ops = batch.putArray("operations");
        operations.forEach(op -> ops.add(JSON.valueToTree(op)));
        JsonNode result = control.post("/_emulator/tenants/" + tenantId + "/mutations", batch.toString());
        List<Result> results = new ArrayList<>();
        result.path("results").forEach(r -> results.add(new Result(r.path("op").asText(), r.path("id").asText(),
                r.path("changed").asBoolean())));
        return results;
    }

    public JsonNode snapshot() {
        return control.get("/_emulator/tenants/" + tenantId + "/snapshot");
    }

    /**
     * Injects a fault for Graph requests whose path matches {@code spec.path} (emulator-wide: Graph paths
     * name no tenant, so a scenario removes it before the next one runs). Returns the fault's id.
     */
    public String addFault(Map<String, Object> spec) {
        return control.post("/_emulator/faults", JSON.valueToTree(spec).toString()).path("id").asText();
    }

    public void removeFault(String faultId) {
        control.delete("/_emulator/faults/" + faultId);
    }

    /** Every delta and skip token issued for this tenant becomes invalid: Graph answers {@code response} (e.g. GONE, 410). */
    public void invalidateDeltaTokens(String response) {
        invalidateDeltaTokens(response, List.of());
    }

    /**
     * The delta and skip tokens issued so far for these resources ({@code users}, {@code groups},
     * {@code directoryRoles}; all when empty) become invalid: Graph answers {@code response}
     * ({@code GONE}: 410, {@code SYNC_STATE_NOT_FOUND}: 400 syncStateNotFound).
     */
    public void invalidateDeltaTokens(String response, List<String> resources) {
        ObjectNode body = JSON.createObjectNode().put("response", response);
        if (!resources.isEmpty()) {
            resources.forEach(body.putArray("resources")::add);
        }
        control.post("/_emulator/tenants/" + tenantId + "/delta-tokens/invalidate", body.toString());
    }

    /**
     * Changes the tenant's behaviour ({@code PUT …/settings}; absent fields keep their value), e.g.
     * {@code minimalUpdateShare: 1.0}: every update of a follow-up delta round is answered with only the
     * changed properties, as Graph may ("at least the updated properties").
     */
    public void settings(Map<String, Object> settings) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(emulatorUrl + "/_emulator/tenants/" + tenantId + "/settings"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(settings))).build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("PUT settings of " + tenantId + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("PUT settings of " + tenantId + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Empties the emulator's request log (emulator-wide). */
    public void clearRequestLog() {
        control.delete("/_emulator/requests");
    }

    /** The request log entries whose path matches the regex (and the method, when given). */
    public List<JsonNode> requests(String pathRegex, String method) {
        String query = "?path=" + URLEncoder.encode(pathRegex, StandardCharsets.UTF_8)
                + (method == null ? "" : "&method=" + method);
        List<JsonNode> out = new ArrayList<>();
        control.get("/_emulator/requests" + query).forEach(out::add);
        return out;
    }
}
