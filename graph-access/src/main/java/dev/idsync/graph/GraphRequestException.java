package dev.idsync.graph;

import java.util.Optional;

/**
 * A Graph request failed for good: a non-retryable error, or retries ran out. Carries Graph's status,
 * OData error code and message (never a token or a secret).
 */
public class GraphRequestException extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final int attempts;
    private final String requestId;

    public GraphRequestException(String message, int status, String errorCode, int attempts, String requestId,
                                 Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
        this.attempts = attempts;
        this.requestId = requestId;
    }

    /** HTTP status, 0 when no response arrived (connection failure). */
    public int status() {
        return status;
    }

    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    public int attempts() {
        return attempts;
    }

    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** Throttling or unavailability that outlasted the retry budget; worth trying again later. */
    public boolean isTransient() {
        return status == 0 || status == 429 || status == 502 || status == 503 || status == 504;
    }
}
