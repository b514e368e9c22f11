package dev.idsync.emulator.control;

import dev.idsync.emulator.control.ControlDtos.AppSpec;
import dev.idsync.emulator.control.ControlDtos.CreateTenantRequest;
import dev.idsync.emulator.control.ControlDtos.InvalidateRequest;
import dev.idsync.emulator.control.ControlDtos.MutationBatch;
import dev.idsync.emulator.control.ControlDtos.MutationBatchResult;
import dev.idsync.emulator.control.ControlDtos.MutationResult;
import dev.idsync.emulator.control.ControlDtos.SettingsSpec;
import dev.idsync.emulator.control.ControlDtos.TenantView;
import dev.idsync.emulator.directory.ExpiredTokenResponse;
import dev.idsync.emulator.directory.ObjectKind;
import dev.idsync.emulator.directory.SeedResult;
import dev.idsync.emulator.directory.SeedSpec;
import dev.idsync.emulator.directory.Tenant;
import dev.idsync.emulator.directory.TenantRegistry;
import dev.idsync.emulator.directory.TenantSeeder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;

/**
 * The emulator's control API for tenants: create, seed, mutate, snapshot, reset. Not part of Graph;
 * tests and the local stack use it to set up and inspect the fake directory.
 */
@Path("/_emulator/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants", description = "Create, seed, mutate, snapshot and reset fake tenants (not part of Graph).")
@APIResponse(responseCode = "400", description = "Bad Request: the body or a parameter is invalid.", content = @Content(mediaType = Problems.TYPE))
@APIResponse(responseCode = "404", description = "Not Found: no such tenant.", content = @Content(mediaType = Problems.TYPE))
public class TenantControlResource {

    private final TenantRegistry tenants;
    private final TenantProvisioner provisioner;
    private final dev.idsync.emulator.subscriptions.NotificationDispatcher notifications;
    private final TenantSeeder seeder = new TenantSeeder();

    public TenantControlResource(TenantRegistry tenants, TenantProvisioner provisioner,
                                 dev.idsync.emulator.subscriptions.NotificationDispatcher notifications) {
        this.tenants = tenants;
        this.provisioner = provisioner;
        this.notifications = notifications;
    }

    @GET
    @Operation(summary = "List the tenants")
    public List<TenantView> list() {
        return tenants.all().stream().map(provisioner::view).toList();
    }

    @POST
    @Operation(summary = "Create a tenant", description = "With its app registrations; 409 when the id is taken.")
    @APIResponse(responseCode = "201", description = "Created.")
    @APIResponse(responseCode = "409", description = "Conflict: the tenant exists.", content = @Content(mediaType = Problems.TYPE))
    public Response create(CreateTenantRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("a JSON body is required");
        }
        Tenant tenant = provisioner.create(request);
        return Response.created(URI.create("/_emulator/tenants/" + tenant.id())).entity(provisioner.view(tenant)).build();
    }

    @GET
    @Path("{tenantId}")
    @Operation(summary = "Read a tenant")
    public TenantView get(@PathParam("tenantId") String tenantId) {
        return provisioner.view(tenant(tenantId));
    }

    @DELETE
    @Path("{tenantId}")
    @Operation(summary = "Delete a tenant")
    @APIResponse(responseCode = "204", description = "Deleted.")
    public Response delete(@PathParam("tenantId") String tenantId) {
        if (!tenants.delete(tenantId)) {
            throw new TenantNotFoundException(tenantId);
        }
        // A tenant created later under the same id starts without the old one's subscriptions.
        notifications.forget(tenantId);
        return Response.noContent().build();
    }

    @POST
    @Path("{tenantId}/apps")
    @Operation(summary = "Add an app registration", description = "A client id with its secret, app roles and Graph permissions.")
    public TenantView addApp(@PathParam("tenantId") String tenantId, AppSpec app) {
        Tenant tenant = tenant(tenantId);
        provisioner.registerApp(tenant, app);
        return provisioner.view(tenant);
    }

    @PUT
    @Path("{tenantId}/settings")
    @Operation(summary = "Change the tenant's settings")
    public TenantView settings(@PathParam("tenantId") String tenantId, SettingsSpec settings) {
        Tenant tenant = tenant(tenantId);
        provisioner.applySettings(tenant, settings);
        return provisioner.view(tenant);
    }

    @POST
    @Path("{tenantId}/seed")
    @Operation(summary = "Seed users, groups, memberships and directory roles", description = "Deterministic for the same seed.")
    public SeedResult seed(@PathParam("tenantId") String tenantId, SeedSpec spec) {
        return seeder.seed(tenant(tenantId), spec == null ? new SeedSpec(100, 10, 300, 4, 0.05, 42, null, null) : spec);
    }

    @POST
    @Path("{tenantId}/mutations")
    @Operation(summary = "Apply a batch of directory changes", description = "Creates, updates and deletes as an admin would in Entra; they show in the next delta.")
    public MutationBatchResult mutate(@PathParam("tenantId") String tenantId, MutationBatch batch) {
        Tenant tenant = tenant(tenantId);
        if (batch == null || batch.operations() == null) {
            throw new IllegalArgumentException("'operations' is required");
        }
        List<MutationResult> results = new ArrayList<>(batch.operations().size());
        for (int i = 0; i < batch.operations().size(); i++) {
            try {
                results.add(MutationApplier.apply(tenant, batch.operations().get(i)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("operation " + i + " (" + batch.operations().get(i).op() + ") failed: "
                        + e.getMessage() + " (operations before it were applied)", e);
            }
        }
        return new MutationBatchResult(results, tenant.withReadLock(tenant::lastSequence));
    }

    @GET
    @Path("{tenantId}/snapshot")
    @Operation(summary = "The tenant's whole directory", description = "Users, groups, memberships and directory roles as JSON.")
    @APIResponse(responseCode = "200", description = "The snapshot.")
    public Response snapshot(@PathParam("tenantId") String tenantId) {
        Tenant tenant = tenant(tenantId);
        StreamingOutput body = out -> SnapshotWriter.write(tenant, out);
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Path("{tenantId}/reset")
    @Operation(summary = "Reset the tenant", description = "Back to empty, with its apps kept.")
    public TenantView reset(@PathParam("tenantId") String tenantId) {
        Tenant tenant = tenant(tenantId);
        tenant.reset();
        return provisioner.view(tenant);
    }

    /**
     * Makes the delta and skip tokens issued so far invalid, answered in the requested form (default 410): of
     * the named resources only, or of all when none is named.
     */
    @POST
    @Path("{tenantId}/delta-tokens/invalidate")
    @Operation(summary = "Invalidate delta tokens", description = "The next delta with an older token gets Graph's 410 resync.")
    public TenantView invalidate(@PathParam("tenantId") String tenantId, InvalidateRequest request) {
        Tenant tenant = tenant(tenantId);
        ExpiredTokenResponse response = request == null || request.response() == null ? ExpiredTokenResponse.GONE
                : request.response();
        List<ObjectKind> kinds = request == null || request.resources() == null || request.resources().isEmpty()
                ? List.of(ObjectKind.values())
                : request.resources().stream().map(TenantControlResource::kindOf).toList();
        tenant.invalidateDeltaTokens(response, kinds);
        return provisioner.view(tenant);
    }

    private static ObjectKind kindOf(String resource) {
        for (ObjectKind kind : ObjectKind.values()) {
            if (kind.entitySet().equals(resource)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown resource '" + resource + "': one of users, groups, directoryRoles");
    }

    private Tenant tenant(String tenantId) {
        return tenants.find(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId));
    }

    @ServerExceptionMapper
    public Response problem(RuntimeException e) {
        return ControlExceptionMappers.map(e);
    }
}
