package dev.idsync.emulator.control;

import dev.idsync.emulator.faults.ActiveFault;
import dev.idsync.emulator.faults.FaultRegistry;
import dev.idsync.emulator.faults.FaultSpec;
import dev.idsync.emulator.faults.RecordedRequest;
import dev.idsync.emulator.faults.RequestLog;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;

/** Fault injection ({@code /_emulator/faults}) and the request log ({@code /_emulator/requests}). */
@Path("/_emulator")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Faults and request log", description = "Inject Graph failures; read the requests the emulator answered.")
@APIResponse(responseCode = "400", description = "Bad Request: the body or a parameter is invalid.", content = @Content(mediaType = Problems.TYPE))
public class FaultControlResource {

    public record FaultView(String id, FaultSpec spec, int applied, int remaining) {
        static FaultView of(ActiveFault f) {
            return new FaultView(f.id(), f.spec(), f.applied(), f.remaining());
        }
    }

    private final FaultRegistry faults;
    private final RequestLog requests;

    public FaultControlResource(FaultRegistry faults, RequestLog requests) {
        this.faults = faults;
        this.requests = requests;
    }

    @POST
    @Path("faults")
    @Operation(summary = "Inject a fault", description = "Matches requests by method and path; answers a status (e.g. 429, 503 with Retry-After) or delays, for a number of times.")
    @APIResponse(responseCode = "201", description = "The fault.")
    public Response add(FaultSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("a fault spec is required");
        }
        return Response.status(201).entity(FaultView.of(faults.add(spec))).build();
    }

    @GET
    @Path("faults")
    @Operation(summary = "List the active faults")
    public List<FaultView> list() {
        return faults.all().stream().map(FaultView::of).toList();
    }

    @DELETE
    @Path("faults/{id}")
    @Operation(summary = "Remove a fault")
    @APIResponse(responseCode = "204", description = "Removed.")
    @APIResponse(responseCode = "404", description = "Not Found: no such fault.", content = @Content(mediaType = Problems.TYPE))
    public Response remove(@PathParam("id") String id) {
        return faults.remove(id) ? Response.noContent().build() : Problems.notFound("no fault '" + id + "'");
    }

    @DELETE
    @Path("faults")
    @Operation(summary = "Remove every fault")
    @APIResponse(responseCode = "204", description = "Removed.")
    public Response clear() {
        faults.clear();
        return Response.noContent().build();
    }

    /** @param path optional regex (find) on the request path; @param method optional method filter */
    @GET
    @Path("requests")
    @Operation(summary = "Read the request log", description = "Optionally filtered by a path regex and a method.")
    public List<RecordedRequest> requests(@QueryParam("path") String path, @QueryParam("method") String method) {
        Pattern pattern = path == null ? null : Pattern.compile(path);
        return requests.all().stream()
                .filter(r -> pattern == null || pattern.matcher(r.path()).find())
                .filter(r -> method == null || r.method().equalsIgnoreCase(method))
                .toList();
    }

    @DELETE
    @Path("requests")
    @Operation(summary = "Clear the request log")
    @APIResponse(responseCode = "204", description = "Cleared.")
    public Response clearRequests() {
        requests.clear();
        return Response.noContent().build();
    }

    @ServerExceptionMapper
    public Response problem(RuntimeException e) {
        return ControlExceptionMappers.map(e);
    }
}
