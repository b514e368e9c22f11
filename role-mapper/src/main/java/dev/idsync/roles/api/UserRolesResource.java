package dev.idsync.roles.api;

import dev.idsync.api.ProblemException;
import dev.idsync.api.Roles;
import dev.idsync.roles.assignment.ManualAssignments;
import dev.idsync.roles.db.Transactions;
import dev.idsync.roles.mapping.MappingCatalog;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.logging.MDC;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A user's effective roles (reader) and manual assignments (writer). */
@Path("/api/tenants/{tenant}/users/{user}/roles")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "User roles", description = "A user's effective roles and manual assignments.")
public class UserRolesResource {

    /** Optional body of a manual assignment. */
    public record ManualAssignmentRequest(String accessLevel) {
    }

    private final Transactions transactions;
    private final ManualAssignments manual;
    private final MappingCatalog catalog;

    UserRolesResource(Transactions transactions, ManualAssignments manual, MappingCatalog catalog) {
        this.transactions = transactions;
        this.manual = manual;
        this.catalog = catalog;
    }

    @GET
    @RolesAllowed(Roles.READER)
    @Operation(summary = "Read a user's roles", description = "Effective roles, each federated (from a group) or "
            + "manual, and the user's state.")
    @APIResponse(responseCode = "200", description = "The roles.")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant is not in idsync.yaml, or role-mapper knows no such user.")
    public UserRolesView roles(@PathParam("tenant") String tenant, @PathParam("user") String user) {
        if (!catalog.configured(tenant)) {
            throw ProblemException.notFound("no tenant '" + tenant + "' in idsync.yaml");
        }
        UserRolesView view = transactions.inTransaction("read roles", c -> UserRolesQuery.read(c, tenant, user));
        if ("unknown".equals(view.userState()) && view.roles().isEmpty()) {
            throw ProblemException.notFound("role-mapper knows no user '" + user + "' in tenant '" + tenant + "'");
        }
        return view;
    }

    @PUT
    @Path("/{role}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WRITER)
    @Operation(summary = "Grant a role manually", description = "Idempotent; the body (`accessLevel` read or "
            + "edit) is optional. `X-Request-Id` (optional) becomes the runId of the resulting event.")
    @APIResponse(responseCode = "200", description = "Already granted; the user's roles.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserRolesView.class)))
    @APIResponse(responseCode = "201", description = "Granted; the user's roles.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserRolesView.class)))
    @APIResponse(responseCode = "404", description = "Not Found: the tenant is not in idsync.yaml.")
    @APIResponse(responseCode = "422", description = "Unprocessable Content: not a role of the tenant, or `accessLevel` "
            + "is not read or edit.")
    public Response assign(@PathParam("tenant") String tenant, @PathParam("user") String user,
            @PathParam("role") String role, @HeaderParam("X-Request-Id") String requestId,
            @RequestBody(required = false) ManualAssignmentRequest body) {
        String request = requestId(requestId);
        return logged(tenant, request, () -> {
            ManualAssignments.Outcome outcome = manual.assign(tenant, user, role, body == null ? null : body.accessLevel(), request);
            return Response.status(outcome.changed() ? 201 : 200).entity(outcome.roles()).build();
        });
    }

    @DELETE
    @Path("/{role}")
    @RolesAllowed(Roles.WRITER)
    @Operation(summary = "Revoke a manual role", description = "Idempotent; federated roles are not touched.")
    @APIResponse(responseCode = "204", description = "Revoked (or there was no such manual assignment).")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant is not in idsync.yaml.")
    @APIResponse(responseCode = "422", description = "Unprocessable Content: not a role of the tenant.")
    public Response unassign(@PathParam("tenant") String tenant, @PathParam("user") String user,
            @PathParam("role") String role, @HeaderParam("X-Request-Id") String requestId) {
        String request = requestId(requestId);
        return logged(tenant, request, () -> {
            manual.unassign(tenant, user, role, request);
            return Response.noContent().build();
        });
    }

    private static String requestId(String header) {
        return header == null || header.isBlank() ? UUID.randomUUID().toString() : header;
    }

    private static Response logged(String tenant, String request, java.util.function.Supplier<Response> work) {
        MDC.put("tenant", tenant);
        MDC.put("runId", request);
        try {
            return work.get();
        } finally {
            MDC.remove("tenant");
            MDC.remove("runId");
        }
    }
}
