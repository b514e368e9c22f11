package dev.idsync.profile.graph;

import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.graph.GraphAccess;
import dev.idsync.graph.auth.CachingTokenCredential;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one user from Graph together with the response's {@code Date}. graph-access' SDK client is built
 * without the SDK's headers-inspection middleware, so its typed read cannot return Graph's {@code Date},
 * which {@code user.upserted} needs as {@code observedAt}; this reader makes the same authenticated GET
 * with graph-access' caching credential over {@code java.net.http}, as graph-access' delta pager does.
 */
public final class GraphUserReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI graphBaseUrl;
    private final CachingTokenCredential credential;
    private final String scope;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();

    GraphUserReader(URI graphBaseUrl, CachingTokenCredential credential, String scope, HttpClient http,
            Duration timeout) {
        this.graphBaseUrl = graphBaseUrl;
        this.credential = credential;
        this.scope = scope;
        this.http = http;
        this.timeout = timeout;
    }

    static GraphUserReader of(GraphAccess access, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        return new GraphUserReader(access.graphBaseUrl(), access.credential(), access.scope(), http, timeout);
    }

    /** One attempt; throttling and unavailability come back as transient {@link GraphFailure}s. */
    public ObservedUser read(String userId, List<String> select) {
        String token = GraphErrors.token(() -> credential.getTokenSync(new TokenRequestContext().addScopes(scope)).getToken());
        URI uri = URI.create(graphBaseUrl + "/users/" + URLEncoder.encode(userId, StandardCharsets.UTF_8)
                + "?%24select=" + URLEncoder.encode(String.join(",", select), StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw GraphFailure.unavailable(0, null, "no response from Graph (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GraphFailure.failed("interrupted while reading user " + userId, e);
        }
        int status = response.statusCode();
        if (status == 200) {
            Map<String, Object> properties = parse(response.body());
            properties.keySet().removeIf(k -> k.startsWith("@odata."));
            return new ObservedUser(String.valueOf(properties.getOrDefault("id", userId)), properties,
                    observedAt(response));
        }
        String message = GraphErrors.odataMessage(response.body());
        if (status == 401) {
            // The cached app token was refused (expired or revoked): drop it so the next request fetches one.
            credential.invalidate();
        }
        throw GraphErrors.fromStatus(status, message, GraphErrors.retryAfter(response.headers().firstValue("Retry-After")
                .orElse(null)), userId, GraphFailure.READ_PERMISSION);
    }

    private static Map<String, Object> parse(String body) {
        try {
            return JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw GraphFailure.failed("Graph answered a user that is not JSON", e);
        }
    }

    private Instant observedAt(HttpResponse<String> response) {
        return response.headers().firstValue("Date")
                .map(d -> ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
                // Graph always sends Date; without one the local clock is the best remaining witness.
                .orElseGet(clock::instant);
    }
}
