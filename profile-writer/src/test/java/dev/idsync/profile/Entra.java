package dev.idsync.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.UUID;

/**
 * The emulated Entra tenant {@code contoso} as the tests see it from outside: users created through the
 * control API, the user read back over Graph with the demo app's token, the request log and faults.
 */
public final class Entra {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String url;
    private final EmulatorControl control;

    public Entra(String url) {
        this.url = url;
        this.control = EmulatorControl.at(url);
    }

    /** A fresh user of the demo tenant, so tests never share one. */
    public String createUser(String displayName) {
        String id = UUID.randomUUID().toString();
        String nick = "pw-" + id.substring(0, 8);
        Map<String, Object> properties = Map.of("displayName", displayName, "userPrincipalName",
                nick + "@contoso.example", "mailNickname", nick, "accountEnabled", true, "jobTitle", "Developer",
                "department", "Engineering", "mobilePhone", "+49 171 1111111");
        control.post("/_emulator/tenants/contoso/mutations", json(Map.of("operations",
                List.of(Map.of("op", "createUser", "id", id, "properties", properties)))));
        return id;
    }

    /** Changes a user directly in Entra, as an admin in the portal would. */
    public void changeDirectly(String userId, Map<String, Object> properties) {
        control.post("/_emulator/tenants/contoso/mutations", json(Map.of("operations",
                List.of(Map.of("op", "updateUser", "id", userId, "properties", properties)))));
    }

    /** The user as Graph returns it now. */
    public JsonNode user(String userId, String select) {
        try {
            HttpRequest tokenRequest = HttpRequest.newBuilder(URI.create(url + "/contoso/oauth2/v2.0/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=idsync-local"
                            + "&client_secret=local-emulator-only&scope=" + URLEncoder.encode(url + "/.default",
                            StandardCharsets.UTF_8))).build();
            String token = JSON.readTree(HTTP.send(tokenRequest, HttpResponse.BodyHandlers.ofString()).body())
                    .path("access_token").asText();
            HttpRequest get = HttpRequest.newBuilder(URI.create(url + "/v1.0/users/" + userId + "?%24select=" + select))
                    .header("Authorization", "Bearer " + token).GET().build();
            return JSON.readTree(HTTP.send(get, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Graph requests the emulator logged for this user (any method, or only {@code method}). */
    public List<JsonNode> requestsFor(String userId, String method) {
        JsonNode all = control.get("/_emulator/requests?path=" + URLEncoder.encode("/users/" + userId,
                StandardCharsets.UTF_8) + (method == null ? "" : "&method=" + method));
        List<JsonNode> list = new ArrayList<>();
        all.forEach(list::add);
        return list;
    }

    /** Every request body the emulator logged (Graph and token endpoint). */
    public List<String> allLoggedBodies() {
        List<String> bodies = new ArrayList<>();
        control.get("/_emulator/requests").forEach(r -> {
            if (r.hasNonNull("body")) {
                bodies.add(r.get("body").asText());
            }
        });
        return bodies;
    }

    /** Injects a fault for requests to this user; returns its id. */
    public String fault(String userId, String method, String type, Integer retryAfterSeconds, Integer count) {
        Map<String, Object> spec = new java.util.LinkedHashMap<>();
        spec.put("path", "/users/" + userId + "$");
        spec.put("method", method);
        spec.put("type", type);
        spec.put("retryAfterSeconds", retryAfterSeconds);
        spec.put("count", count);
        return control.post("/_emulator/faults", json(spec)).path("id").asText();
    }

    public void removeFault(String id) {
        control.delete("/_emulator/faults/" + id);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
