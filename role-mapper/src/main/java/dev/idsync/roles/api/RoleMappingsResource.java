package dev.idsync.roles.api;

import dev.idsync.api.Roles;
import dev.idsync.roles.mapping.GroupRole;
import dev.idsync.roles.mapping.MappingEditor;
import dev.idsync.roles.mapping.RoleMappings;
import dev.idsync.roles.mapping.TenantMappings;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
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
    public record MappingsView(String tenantId, String tenantName, String origin, String pattern, List<String> roles,
            String defaultRole, Map<String, GroupRole> groups, Integer changedAssignments) {

        static MappingsView of(TenantMappings m, Integer changes) {
            return new MappingsView(m.tenantId(), m.tenantName(), m.origin(), m.mappings().pattern(), m.mappings().roles(),
                    m.mappings().defaultRole(), m.mappings().groups(), changes);
        }
    }

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
            RoleMappings body) {
        String request = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId;
        MDC.put("tenant", tenant);
        MDC.put("runId", request);
        try {
            MappingEditor.Replaced replaced = editor.replace(tenant, body, identity.getPrincipal().getName(), request);
            return MappingsView.of(replaced.mappings(), replaced.changes());
        } finally {
            MDC.remove("tenant");
            MDC.remove("runId");
        }
    }
}
