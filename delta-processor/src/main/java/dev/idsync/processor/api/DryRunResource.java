package dev.idsync.processor.api;

import dev.idsync.api.ProblemException;
import dev.idsync.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Dry-run plans: what a full sync would add, update and delete (role {@code idsync.reader}). */
@Path("/api/tenants/{tenant}/dry-runs/{runId}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.READER, Roles.ADMIN})
@Tag(name = "Dry runs", description = "What a full sync would add, update and delete, without doing it.")
public class DryRunResource {

    private static final String ACTIONS = "add|update|delete";
    private static final String KINDS = "user|group|directoryRole";

    private final DryRunQueries queries;
    private final DryRunWorkbook workbook;

    DryRunResource(DryRunQueries queries, DryRunWorkbook workbook) {
        this.queries = queries;
        this.workbook = workbook;
    }

    /** The run's state and summary, and one page of its items (empty while it is still collecting). */
    @GET
    @Operation(summary = "Read a dry-run plan", description = "The run's state and summary (tenantId, runId, state, "
            + "resources, limited, note, startedAt, completedAt, plannedAt, summary, eventsReceived, eventsAnnounced) and one "
            + "page of its items (action, kind, id, displayName, changes: old → new per field), filtered by action and kind; "
            + "items stay empty while the run is still collecting.")
    @APIResponse(responseCode = "200", description = "The plan with items, page, size, total.")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant has no such dry run.")
    public Map<String, Object> plan(@PathParam("tenant") String tenant, @PathParam("runId") String runId,
            @QueryParam("action") @Pattern(regexp = ACTIONS, message = "one of " + ACTIONS) String action,
            @QueryParam("kind") @Pattern(regexp = KINDS, message = "one of " + KINDS) String kind,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        Map<String, Object> plan = new LinkedHashMap<>(known(tenant, runId));
        Page<Map<String, Object>> items = queries.items(tenant, runId, action, kind, page, size);
        plan.put("items", items.items());
        plan.put("page", items.page());
        plan.put("size", items.size());
        plan.put("total", items.total());
        return plan;
    }

    /** The plan as a real .xlsx, streamed row by row. */
    @GET
    @Path("/export.xlsx")
    @Produces(UserWorkbook.MEDIA_TYPE)
    @Operation(summary = "Export a dry-run plan as .xlsx", description = "The whole plan, streamed row by row.")
    @APIResponse(responseCode = "200", description = "The workbook (attachment).")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant has no such dry run.")
    public Response export(@PathParam("tenant") String tenant, @PathParam("runId") String runId) {
        known(tenant, runId);
        StreamingOutput body = out -> workbook.write(tenant, runId, out);
        return Response.ok(body, UserWorkbook.MEDIA_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + tenant + "-dry-run-" + runId + ".xlsx\"")
                .build();
    }

    private Map<String, Object> known(String tenant, String runId) {
        Map<String, Object> run = queries.run(tenant, runId);
        if (run == null) {
            throw ProblemException.notFound("no dry run " + runId + " in tenant " + tenant);
        }
        return run;
    }
}
