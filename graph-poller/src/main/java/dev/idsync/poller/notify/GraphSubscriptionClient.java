package dev.idsync.poller.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idsync.graph.GraphAccess;
import dev.idsync.graph.auth.TrustMaterial;
import dev.idsync.graph.delta.CredentialTokenSource;
import dev.idsync.poller.graph.TenantGraphs;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Graph's {@code /subscriptions} for one tenant, with the tenant's app token: create (Graph first validates the
 * notification URL, so this call waits for our own endpoint's handshake answer), read, renew, delete.
 */
@ApplicationScoped
public class GraphSubscriptionClient {

    /** Graph's validation handshake alone may take 10 s. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What Graph answered about one subscription. */
    public record GraphSubscription(String id, String resource, Instant expiration) {
    }

    /** Graph refused or failed a subscription request. */
    public static final class SubscriptionRequestFailed extends RuntimeException {
        private final int status;

        SubscriptionRequestFailed(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final TenantGraphs graphs;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    GraphSubscriptionClient(TenantGraphs graphs) {
        this.graphs = graphs;
    }

    public GraphSubscription create(String tenantId, String resource, String changeTypes, String notificationUrl,
                                    String lifecycleUrl, String clientState, Instant expiration) {
        ObjectNode body = json.createObjectNode();
        body.put("changeType", changeTypes);
        body.put("notificationUrl", notificationUrl);
        body.put("lifecycleNotificationUrl", lifecycleUrl);
        body.put("resource", resource);
        body.put("expirationDateTime", expiration.toString());
        body.put("clientState", clientState);
        return parse(send(tenantId, "POST", "/subscriptions", body.toString(), 201));
    }

    /** Empty when Graph no longer has it (expired, removed, never existed). */
    public Optional<GraphSubscription> find(String tenantId, String id) {
        try {
            return Optional.of(parse(send(tenantId, "GET", "/subscriptions/" + id, null, 200)));
        } catch (SubscriptionRequestFailed e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Renewal (also Graph's answer to {@code reauthorizationRequired}); empty when Graph no longer has it. */
    public Optional<GraphSubscription> renew(String tenantId, String id, Instant expiration) {
        try {
            return Optional.of(parse(send(tenantId, "PATCH", "/subscriptions/" + id,
                    json.createObjectNode().put("expirationDateTime", expiration.toString()).toString(), 200)));
        } catch (SubscriptionRequestFailed e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void delete(String tenantId, String id) {
        try {
            send(tenantId, "DELETE", "/subscriptions/" + id, null, 204);
        } catch (SubscriptionRequestFailed e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    private GraphSubscription parse(JsonNode node) {
        return new GraphSubscription(node.path("id").asText(), node.path("resource").asText(),
                Instant.parse(node.path("expirationDateTime").asText()));
    }

    private JsonNode send(String tenantId, String method, String path, String body, int expected) {
        GraphAccess access = graphs.of(tenantId);
        String token;
        try {
            token = new CredentialTokenSource(access.credential(), access.scope()).token().get();
        } catch (ExecutionException e) {
            throw new SubscriptionRequestFailed("no Graph token for tenant " + tenantId + ": " + e.getCause().getMessage(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SubscriptionRequestFailed("interrupted", 0);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(access.graphBaseUrl().toString()
                        .replaceAll("/$", "") + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response;
        try {
            response = client(tenantId, access).send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SubscriptionRequestFailed(method + " " + path + " failed: " + e.getMessage(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SubscriptionRequestFailed("interrupted", 0);
        }
        if (response.statusCode() != expected) {
            throw new SubscriptionRequestFailed(method + " " + path + " answered " + response.statusCode() + ": "
                    + errorMessage(response.body()), response.statusCode());
        }
        try {
            return response.body() == null || response.body().isEmpty() ? json.createObjectNode()
                    : json.readTree(response.body());
        } catch (IOException e) {
            throw new SubscriptionRequestFailed(method + " " + path + ": unreadable answer", response.statusCode());
        }
    }

    /** Graph's error message (never a body that could echo a secret: subscriptions answer clientState). */
    private String errorMessage(String body) {
        try {
            return json.readTree(body).path("error").path("message").asText("(no message)");
        } catch (IOException | RuntimeException e) {
            return "(no message)";
        }
    }

    private HttpClient client(String tenantId, GraphAccess access) {
        return clients.computeIfAbsent(tenantId, t -> HttpClient.newBuilder()
                .sslContext(TrustMaterial.from(access.config()).sslContext())
                .connectTimeout(Duration.ofSeconds(10)).build());
    }
}
