package dev.idsync.roles.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.idsync.api.FieldError;
import dev.idsync.api.ProblemException;
import dev.idsync.api.Roles;
import dev.idsync.roles.mapping.MappingEffect;
import dev.idsync.roles.mapping.GroupRole;
import dev.idsync.roles.mapping.MappingEditor;
import dev.idsync.roles.mapping.RoleMappings;
import dev.idsync.roles.mapping.TenantMappings;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.MDC;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A tenant's group → role mappings (role {@code idsync.admin}). */
@Path("/api/tenants/{tenant}/role-mappings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Role mappings", description = "A tenant's group → role mappings.")
public class RoleMappingsResource {

    /** The mappings as the API shows them: idsync.yaml's shape, plus where they come from. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MappingsView(String tenantId, String tenantName, String origin, String pattern, List<String> roles,
            String defaultRole, Map<String, GroupRole> groups, String nested, Map<String, String> directoryRoles,
            Integer changedAssignments,
            Integer gained, Integer lost) {

        static MappingsView of(TenantMappings m, MappingEditor.Replaced replaced) {
            return new MappingsView(m.tenantId(), m.tenantName(), m.origin(), m.mappings().pattern(), m.mappings().roles(),
                    m.mappings().defaultRole(), m.mappings().groups(), m.mappings().nestedMode(), m.mappings().directoryRoles(),
                    replaced == null ? null : replaced.changes(),
                    replaced == null ? null : replaced.effect().gains().size(),
                    replaced == null ? null : replaced.effect().losses().size());
        }
    }

    /**
     * What saving a proposed change would do: counts over all users, and one page of the (user, role) gains
     * and losses, sorted by user then role, gains first. {@code simulationId} passed as {@code If-Match} to the
     * PUT makes it save only if it applies exactly this.
     */
    public record SimulationView(String tenantId, String simulationId, int gained, int lost, int users,
            int changedAssignments, int total, int offset, int limit, boolean truncated,
            List<MappingEffect.RoleChange> changes) {
    }

    /** Saved mapping changes, newest first. */
    public record HistoryView(String tenantId, List<MappingEditor.MappingChangeRecord> changes) {
    }

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final MappingEditor editor;
    private final SecurityIdentity identity;

    RoleMappingsResource(MappingEditor editor, SecurityIdentity identity) {
        this.editor = editor;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Read the role mappings", description = "idsync.yaml's shape (pattern, roles, "
            + "defaultRole, groups) and where they come from (`origin`).")
    @APIResponse(responseCode = "200", description = "The mappings.")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant is not in idsync.yaml.")
    public MappingsView get(@PathParam("tenant") String tenant) {
        return MappingsView.of(editor.read(tenant), null);
    }

    @POST
    @Path("/simulations")
    @RolesAllowed(Roles.ADMIN)
    public SimulationView simulate(@PathParam("tenant") String tenant, @QueryParam("offset") Integer offset,
            @QueryParam("limit") Integer limit, RoleMappings body) {
        int from = offset == null ? 0 : offset;
        int size = limit == null ? DEFAULT_LIMIT : limit;
        List<FieldError> errors = new ArrayList<>();
        if (from < 0) {
            errors.add(new FieldError("offset", "must be 0 or more"));
        }
        if (size < 1 || size > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.unprocessable(errors);
        }
        MDC.put("tenant", tenant);
        try {
            MappingEffect effect = editor.simulate(tenant, body);
            List<MappingEffect.RoleChange> all = new ArrayList<>(effect.gains());
            all.addAll(effect.losses());
            List<MappingEffect.RoleChange> page = all.subList(Math.min(from, all.size()), Math.min(from + size, all.size()));
            return new SimulationView(tenant, effect.digest(), effect.gains().size(), effect.losses().size(), effect.users(),
                    effect.changedAssignments(), all.size(), from, size, from + page.size() < all.size(), List.copyOf(page));
        } finally {
            MDC.remove("tenant");
        }
    }

    @GET
    @Path("/changes")
    @RolesAllowed(Roles.ADMIN)
    public HistoryView history(@PathParam("tenant") String tenant, @QueryParam("limit") Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ProblemException.unprocessable(List.of(new FieldError("limit", "must be between 1 and " + MAX_LIMIT)));
        }
        return new HistoryView(tenant, editor.history(tenant, size));
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace the role mappings", description = "Validates the whole set, stores it and "
            + "re-derives every user's federated roles; `changedAssignments` says how many assignments changed. "
            + "`X-Request-Id` (optional) becomes the runId of the resulting events.")
    @APIResponse(responseCode = "200", description = "The mappings now in force.")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant is not in idsync.yaml.")
    @APIResponse(responseCode = "422", description = "Unprocessable Content: the mappings are invalid; `errors` names "
            + "each field.")
    public MappingsView put(@PathParam("tenant") String tenant, @HeaderParam("X-Request-Id") String requestId,
            @HeaderParam("If-Match") String simulationId, RoleMappings body) {
        String request = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId;
        MDC.put("tenant", tenant);
        MDC.put("runId", request);
        try {
            String expected = simulationId == null || simulationId.isBlank() ? null : simulationId.replace("\"", "").trim();
            MappingEditor.Replaced replaced = editor.replace(tenant, body, identity.getPrincipal().getName(), request, expected);
            return MappingsView.of(replaced.mappings(), replaced);
        } finally {
            MDC.remove("tenant");
            MDC.remove("runId");
        }
    }
}
