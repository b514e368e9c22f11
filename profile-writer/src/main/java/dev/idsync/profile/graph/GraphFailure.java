package dev.idsync.profile.graph;

import dev.idsync.api.FieldError;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Why Entra refused or failed a request, already in the terms of the API's error table (reference 000):
 * the HTTP status and title the client gets and the reason the rejection event carries.
 */
public final class GraphFailure extends RuntimeException {

    /** The permission profile-writer's PATCH needs (graph-access README). */
    public static final String WRITE_PERMISSION = "User.ReadWrite.All";
    public static final String READ_PERMISSION = "User.Read.All";

    public enum Kind {
        NO_TOKEN(502, "No valid admin token", "noAdminToken"),
        ACCESS_DENIED(502, "Access denied", "accessDenied"),
        USER_NOT_FOUND(404, "User not found", "userNotFound"),
        UNAVAILABLE(503, "Entra unavailable", "graphUnavailable"),
        REJECTED_VALUE(422, "Unprocessable Content", "graphRejected"),
        FAILED(502, "Entra request failed", "graphFailed");

        public final int status;
        public final String title;
        public final String reason;

        Kind(int status, String title, String reason) {
            this.status = status;
            this.title = title;
            this.reason = reason;
        }
    }

    private final Kind kind;
    private final Duration retryAfter;
    private final List<FieldError> errors;

    private GraphFailure(Kind kind, String detail, Duration retryAfter, List<FieldError> errors, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static GraphFailure noToken(String detail, Throwable cause) {
        return new GraphFailure(Kind.NO_TOKEN, detail, null, null, cause);
    }

    public static GraphFailure denied(String permission, String graphMessage) {
        return new GraphFailure(Kind.ACCESS_DENIED, "Entra refused the request: the app registration lacks the "
                + "application permission " + permission + " (grant it and give admin consent). Graph said: "
                + graphMessage, null, null, null);
    }

    public static GraphFailure notFound(String userId) {
        return new GraphFailure(Kind.USER_NOT_FOUND, "user " + userId + " does not exist in Entra (deleted?); "
                + "check the local user", null, null, null);
    }

    /** Throttled or unavailable; {@code retryAfter} is what Graph asked for, if anything. */
    public static GraphFailure unavailable(int status, Duration retryAfter, String detail) {
        return new GraphFailure(Kind.UNAVAILABLE, "Entra answered " + status + (detail == null ? "" : ": " + detail),
                retryAfter, null, null);
    }

    public static GraphFailure rejected(String field, String graphMessage) {
        return new GraphFailure(Kind.REJECTED_VALUE, "Entra refused a value: " + graphMessage, null,
                List.of(new FieldError(field, graphMessage)), null);
    }

    public static GraphFailure failed(String detail, Throwable cause) {
        return new GraphFailure(Kind.FAILED, detail, null, null, cause);
    }

    public Kind kind() {
        return kind;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public List<FieldError> errors() {
        return errors;
    }

    public boolean isTransient() {
        return kind == Kind.UNAVAILABLE;
    }
}
