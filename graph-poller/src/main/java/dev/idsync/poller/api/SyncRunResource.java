package dev.idsync.poller.api;

import dev.idsync.api.Problem;
import dev.idsync.api.ProblemException;
import dev.idsync.api.Roles;
import dev.idsync.config.IdsyncConfig;
import dev.idsync.events.SyncMode;
import dev.idsync.poller.graph.PollerTenants;
import dev.idsync.poller.run.RunRequest;
import dev.idsync.poller.run.RunStarter;
import dev.idsync.poller.run.SyncRunLedger;
import dev.idsync.poller.run.SyncRunRecord;
import dev.idsync.poller.run.SyncRunner;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * On-demand runs and their state: {@code POST} starts one (202 with the run, or 409 naming the active run),
 * {@code GET} shows runs with state, counts, pages, duration, errors, and progress while running.
 */
@Path("/api/tenants/{tenantId}/sync-runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sync runs", description = "Start delta, full and dry runs on demand; their state, counts and progress.")
public class SyncRunResource {

    /** The most runs one listing returns; a larger {@code limit} is refused (422), not silently cut. */
    static final int MAX_LIMIT = 500;

    /**
     * @param mode       {@code delta} (default), {@code full} or {@code dryRun}
     * @param resources  a subset of the tenant's resources; default all of them
     * @param limitUsers read at most this many users (a trial)
     */
    public record SyncRunRequest(String mode, List<String> resources, Integer limitUsers) {
    }

    /** RFC 9457 problem with the extension member {@code activeRunId}: the run to wait for or look at. */
    public record ActiveRunConflict(String type, String title, int status, String detail, String activeRunId) {
    }

    private final PollerTenants tenants;
    private final SyncRunner runner;
    private final SyncRunLedger ledger;

    SyncRunResource(PollerTenants tenants, SyncRunner runner, SyncRunLedger ledger) {
        this.tenants = tenants;
        this.runner = runner;
        this.ledger = ledger;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Start a sync run", description = "Starts a `delta` (default), `full` or `dryRun` run of the "
            + "tenant's resources (or the subset named), optionally reading at most `limitUsers` users. The body is "
            + "optional. One run per tenant and resource at a time.")
    @APIResponse(responseCode = "202", description = "Started; `Location` is the run.",
            headers = @Header(name = "Location", description = "/api/tenants/{tenantId}/sync-runs/{runId}",
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SyncRunRecord.class)))
    @APIResponse(responseCode = "400", description = "Bad Request: `mode` is not delta, full or dryRun, a resource is "
            + "not among the tenant's, `limitUsers` < 1, or the body is unreadable; `errors` names the field.")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant is not in idsync.yaml.")
    @APIResponse(responseCode = "409", description = "Conflict: the tenant has a run of these resources in progress; "
            + "`activeRunId` names it.", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = ActiveRunConflict.class)))
    public Response start(@PathParam("tenantId") String tenantId,
            @RequestBody(required = false, description = "Optional: without it, a delta run of every resource.") SyncRunRequest body) {
        IdsyncConfig.Tenant tenant = tenant(tenantId);
        SyncRunRequest request = body == null ? new SyncRunRequest(null, null, null) : body;
        SyncMode mode = request.mode() == null ? SyncMode.DELTA : SyncMode.fromJson(request.mode()).orElseThrow(
                () -> ProblemException.badRequest("mode", "'" + request.mode() + "' is not one of "
                        + Arrays.stream(SyncMode.values()).map(SyncMode::json).collect(Collectors.joining(", "))));
        List<String> configured = tenants.resourcesOf(tenant);
        List<String> resources = configured;
        if (request.resources() != null && !request.resources().isEmpty()) {
            List<String> unknown = request.resources().stream().filter(r -> !configured.contains(r)).toList();
            if (!unknown.isEmpty()) {
                throw ProblemException.badRequest("resources", unknown + " not among the tenant's resources "
                        + configured);
            }
            resources = PollerTenants.ordered(request.resources());
        }
        if (request.limitUsers() != null && request.limitUsers() < 1) {
            throw ProblemException.badRequest("limitUsers", "must be at least 1, got " + request.limitUsers());
        }
        RunStarter.Outcome outcome = runner.start(new RunRequest(tenantId, mode, resources, request.limitUsers(), "api"));
        return switch (outcome) {
            case RunStarter.Started started -> Response.accepted(started.run())
                    .location(URI.create("/api/tenants/" + tenantId + "/sync-runs/" + started.run().runId())).build();
            case RunStarter.Busy busy -> Response.status(409).type(Problem.MEDIA)
                    .entity(new ActiveRunConflict("about:blank", "Conflict", 409, "tenant " + tenantId
                            + " has a run of " + resources + " in progress" + busy.activeRunId().map(id -> ": " + id)
                            .orElse(""), busy.activeRunId().orElse(null))).build();
        };
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "List the tenant's recent runs", description = "Newest first, at most `limit` (1..500).")
    @APIResponse(responseCode = "200", description = "The runs with state, counts, pages, duration, errors and progress.")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant is not in idsync.yaml.")
    public List<SyncRunRecord> list(@PathParam("tenantId") String tenantId,
                                    @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(MAX_LIMIT) int limit) {
        tenant(tenantId);
        return ledger.recent(tenantId, limit);
    }

    @GET
    @Path("{runId}")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "Read one run", description = "State, counts per event type, pages, duration, errors, and "
            + "progress while it runs.")
    @APIResponse(responseCode = "200", description = "The run.")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant is not in idsync.yaml, or it has no such run.")
    public SyncRunRecord get(@PathParam("tenantId") String tenantId, @PathParam("runId") String runId) {
        tenant(tenantId);
        return ledger.find(tenantId, runId).orElseThrow(
                () -> ProblemException.notFound("tenant " + tenantId + " has no run " + runId));
    }

    private IdsyncConfig.Tenant tenant(String tenantId) {
        return tenants.find(tenantId).orElseThrow(() -> ProblemException.notFound("no tenant '" + tenantId
                + "' in idsync.yaml"));
    }
}
