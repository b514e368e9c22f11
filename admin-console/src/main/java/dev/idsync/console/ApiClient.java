package dev.idsync.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.oidc.AccessTokenCredential;
import jakarta.enterprise.context.RequestScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Calls the services' HTTP APIs with the signed-in admin's own access token (token propagation), so every
 * role and tenant check of the APIs applies to what the console does: the console has no identity, no
 * credentials and no data of its own. One instance per request, because the token is the request's.
 */
@RequestScoped
public class ApiClient {

    private static final Logger LOG = Logger.getLogger(ApiClient.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final AccessTokenCredential token;
    private final ConsoleConfig config;
    private final ObjectMapper json;

    ApiClient(AccessTokenCredential token, ConsoleConfig config, ObjectMapper json) {
        this.token = token;
        this.config = config;
        this.json = json;
    }

    public ApiResult get(Service service, String path) {
        return send(service, "GET", path, null, Map.of());
    }

    public ApiResult post(Service service, String path, Object body) {
        return send(service, "POST", path, body, Map.of());
    }

    public ApiResult put(Service service, String path, Object body) {
        return send(service, "PUT", path, body, Map.of());
    }

    public ApiResult delete(Service service, String path) {
        return send(service, "DELETE", path, null, Map.of());
    }

    public ApiResult send(Service service, String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(service, path)).timeout(config.timeout())
                .header("Authorization", "Bearer " + token.getToken())
                .header("Accept", "application/json");
        headers.forEach(request::header);
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode parsed = response.body().length == 0 ? null : parse(response.body());
            return new ApiResult(response.statusCode(), parsed);
        } catch (IOException e) {
            LOG.warnf("%s %s%s: %s", method, service.displayName(), path, e.toString());
            return unreachable(service, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable(service, e);
        }
    }

    /**
     * A public text endpoint of a service ({@code /q/metrics}), without the admin's token: the metrics are
     * public and the token has no business there. A failure is the exception, for the page to say so.
     */
    public String publicText(Service service, String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri(service, path)).timeout(config.timeout())
                .header("Accept", "text/plain").GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** A download (xlsx, NDJSON, CSV) passed through as the service streams it, with its status and headers. */
    public HttpResponse<InputStream> stream(Service service, String path, String accept) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri(service, path)).timeout(java.time.Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + token.getToken()).header("Accept", accept).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.createObjectNode().put("title", "Unreadable answer").put("detail", new String(body,
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private ApiResult unreachable(Service service, Exception e) {
        return new ApiResult(503, json.createObjectNode().put("title", service.displayName() + " unreachable")
                .put("detail", service.displayName() + " did not answer: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage())));
    }

    private URI uri(Service service, String path) {
        String base = service.base(config).toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
