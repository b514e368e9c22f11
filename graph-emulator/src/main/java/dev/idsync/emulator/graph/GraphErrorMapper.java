package dev.idsync.emulator.graph;

import dev.idsync.emulator.directory.DirectoryException;
import dev.idsync.emulator.faults.RequestInterceptor;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders Graph failures with Graph's OData error body and the request's own request-id. */
public class GraphErrorMapper {

    private final Clock clock;

    public GraphErrorMapper(Clock clock) {
        this.clock = clock;
    }

    @ServerExceptionMapper
    public Response graphError(GraphError error, RoutingContext ctx) {
        Response.ResponseBuilder response = render(error.status(), error.code(), error.getMessage(), ctx);
        error.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public Response directoryError(DirectoryException error, RoutingContext ctx) {
        return render(error.status(), error.code(), error.getMessage(), ctx).build();
    }

    private Response.ResponseBuilder render(int status, String code, String message, RoutingContext ctx) {
        String requestId = ctx == null ? UUID.randomUUID().toString() : ctx.get(RequestInterceptor.REQUEST_ID_KEY);
        String clientRequestId = ctx == null ? requestId : ctx.get(RequestInterceptor.CLIENT_REQUEST_ID_KEY);
        return Response.status(status)
                .type(GraphMediaType.JSON)
                .entity(GraphErrorBody.json(code, message, requestId == null ? UUID.randomUUID().toString() : requestId,
                        clientRequestId, clock.instant()));
    }
}
