package dev.idsync.profile.api;

import dev.idsync.api.Problem;
import dev.idsync.profile.graph.GraphFailure;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Entra's refusals and failures as problem+json with the error table's titles (reference 000): 502 "No
 * valid admin token", 502 "Access denied" naming the missing permission, 404 "User not found", 503 with
 * {@code Retry-After} when Graph stayed throttled or unavailable through the retries.
 */
public class GraphFailureMapper {

    private static final Logger LOG = Logger.getLogger(GraphFailureMapper.class);
    /** When Graph gave no Retry-After: a short, honest guess rather than none. */
    private static final long DEFAULT_RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response map(GraphFailure failure) {
        GraphFailure.Kind kind = failure.kind();
        if (kind.status >= 500) {
            LOG.warnf("Entra: %s: %s", kind.title, failure.getMessage());
        }
        Response.ResponseBuilder response = Response.fromResponse(
                Problem.of(kind.status, kind.title, failure.getMessage(), failure.errors()).toResponse());
        if (kind == GraphFailure.Kind.UNAVAILABLE) {
            long seconds = failure.retryAfter().map(d -> Math.max(1, (d.toMillis() + 999) / 1000))
                    .orElse(DEFAULT_RETRY_AFTER_SECONDS);
            response.header(HttpHeaders.RETRY_AFTER, seconds);
        }
        return response.build();
    }
}
