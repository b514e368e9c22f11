package dev.idsync.emulator.subscriptions;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The emulator's outgoing HTTP: Graph's validation request and notification POSTs, with Graph's time limits
 * (10 s for the validation answer, 3 s for a notification's 2xx; a slower answer counts as a failure).
 */
final class WebhookClient {

    static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(10);
    static final Duration NOTIFICATION_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** Graph's handshake: {@code POST url?validationToken=...}; valid only as 200 with exactly the token as body. */
    boolean validates(String url, String token) {
        String separator = url.contains("?") ? "&" : "?";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + separator + "validationToken="
                        + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .timeout(VALIDATION_TIMEOUT).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && token.equals(response.body());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** POSTs one batch; the status, or 0 when the endpoint did not answer in time. */
    int post(String url, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(NOTIFICATION_TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
