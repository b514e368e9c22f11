package dev.idsync.profile.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.ResponseHeaders;
import dev.idsync.graph.GraphRequestException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Graph's and the token endpoint's failures into {@link GraphFailure}s. */
public final class GraphErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Graph names the refused property like this: {@code Invalid value specified for property 'mobilePhone' ...}. */
    private static final Pattern PROPERTY = Pattern.compile("property '([^']+)'");

    private GraphErrors() {
    }

    /** Runs a token acquisition; any failure there means no usable app token. */
    static <T> T token(Supplier<T> acquisition) {
        try {
            return acquisition.get();
        } catch (RuntimeException e) {
            throw noToken(e);
        }
    }

    static GraphFailure noToken(Throwable e) {
        // azure-identity's message may quote the identity platform's answer (AADSTS code); never a secret.
        return GraphFailure.noToken("no app token for Graph could be obtained: " + rootMessage(e), e);
    }

    static GraphFailure fromStatus(int status, String message, Duration retryAfter, String userId, String permission) {
        return switch (status) {
            case 401 -> GraphFailure.noToken("Graph refused the app token (401): " + message, null);
            case 403 -> GraphFailure.denied(permission, message);
            case 404 -> GraphFailure.notFound(userId);
            case 400 -> GraphFailure.rejected(propertyOf(message), message);
            case 0, 429, 502, 503, 504 -> GraphFailure.unavailable(status, retryAfter, message);
            default -> GraphFailure.failed("Graph answered " + status + ": " + message, null);
        };
    }

    /**
     * A failure thrown by graph-access' SDK-based {@code UserProfileClient}: its translated
     * {@link GraphRequestException} (with the SDK's {@link ApiException} as cause, which carries the headers),
     * or an authentication failure from azure-identity somewhere in the cause chain.
     */
    public static GraphFailure classify(RuntimeException e, String userId, String permission) {
        if (e instanceof GraphFailure failure) {
            return failure;
        }
        if (e instanceof GraphRequestException graph) {
            Duration retryAfter = graph.getCause() instanceof ApiException api ? retryAfter(api.getResponseHeaders()) : null;
            if (graph.status() == 0) {
                return GraphFailure.unavailable(0, null, graph.getMessage());
            }
            return fromStatus(graph.status(), graph.getMessage(), retryAfter, userId, permission);
        }
        if (e instanceof ApiException api) {
            return fromStatus(api.getResponseStatusCode(), api.getMessage(), retryAfter(api.getResponseHeaders()),
                    userId, permission);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.startsWith("com.azure.core.exception.ClientAuthenticationException")
                    || name.startsWith("com.microsoft.aad.msal4j.")) {
                return noToken(e);
            }
            if (t instanceof java.io.IOException) {
                return GraphFailure.unavailable(0, null, "no response from Graph (" + t.getClass().getSimpleName() + ")");
            }
        }
        return GraphFailure.failed("Graph request failed: " + rootMessage(e), e);
    }

    static String odataMessage(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return error.path("code").asText("") + ": " + error.path("message").asText("");
        } catch (Exception e) {
            return body == null ? "" : body.substring(0, Math.min(200, body.length()));
        }
    }

    public static String propertyOf(String message) {
        Matcher m = message == null ? null : PROPERTY.matcher(message);
        return m != null && m.find() ? "entra." + m.group(1) : "entra";
    }

    static Duration retryAfter(ResponseHeaders headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, Set<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Retry-After") && !h.getValue().isEmpty()) {
                return retryAfter(h.getValue().iterator().next());
            }
        }
        return null;
    }

    /** Retry-After as seconds or as an HTTP date. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
