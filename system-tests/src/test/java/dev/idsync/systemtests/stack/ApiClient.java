package dev.idsync.systemtests.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A service's HTTP API over real HTTP with a bearer token, JSON in and out; the status is the caller's to check. */
public final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String bearer;

    public ApiClient(String baseUrl, String bearer) {
        this.baseUrl = baseUrl;
        this.bearer = bearer;
    }

    /** An answer: status and the JSON body (a missing node when empty or not JSON). */
    public record Response(int status, JsonNode body, String text, HttpRequest request) {

        public Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError(request.method() + " " + request.uri() + " answered " + status + " instead of "
                        + expected + ": " + text);
            }
            return this;
        }
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").POST(publisher(body)));
    }

    public Response put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").PUT(publisher(body)));
    }

    public Response patch(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").method("PATCH", publisher(body)));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", bearer).header("Accept", "application/json");
    }

    private static HttpRequest.BodyPublisher publisher(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(body == null ? "" : body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Response send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = response.body() == null || response.body().isBlank() ? JSON.missingNode() : JSON.readTree(response.body());
            } catch (IOException notJson) {
                body = JSON.missingNode();
            }
            return new Response(response.statusCode(), body, response.body(), request);
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.uri(), e);
        }
    }
}
