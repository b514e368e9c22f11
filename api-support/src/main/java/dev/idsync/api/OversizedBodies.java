package dev.idsync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body over {@code quarkus.http.limits.max-body-size} gets 413 problem+json naming {@code body} and the
 * limit, before anything reads it. Quarkus refuses such a body itself, but with an empty 413 that no client
 * can tell from a proxy's; this answers first when the request declares its length (every JSON client does).
 * A chunked body that grows past the limit still gets Quarkus' own bodiless 413: the limit is only found
 * while Quarkus REST reads it, and it ends the response itself.
 */
public class OversizedBodies {

    private final long limit;
    private final ObjectMapper json;

    OversizedBodies(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize limit,
            ObjectMapper json) {
        this.limit = limit.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::declared);
    }

    private void declared(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLong(length)) {
            // The body stays unread: close the connection so its bytes are never taken for the next request.
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            answer(context);
        } else {
            context.next();
        }
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // Vert.x refuses a malformed Content-Length on its own
        }
    }

    private void answer(RoutingContext context) {
        Problem problem = Problem.of(413, "Content Too Large", "the request body exceeds " + limit + " bytes",
                List.of(new FieldError("body", "at most " + limit + " bytes")));
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(body);
    }
}
