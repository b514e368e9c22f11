package dev.idsync.processor.api;

import dev.idsync.api.Roles;
import dev.idsync.processor.outbox.OutboxRelay;
import dev.idsync.processor.store.DeletionGate;
import io.agroal.api.AgroalDataSource;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Deletions held by the accidental-delete protection, and the admin's decision on them: approve applies
 * them (each only if no newer observation of the object won meanwhile) and publishes them with the admin
 * as {@code decidedBy}, reject drops them (nothing reaches the directory topics). Both for all held runs of
 * the tenant, or one run with {@code ?runId=}; both record who and when, and publish a
 * {@code deletions.decided} per run through the outbox.
 */
@Path("/api/tenants/{tenant}/pending-deletions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pending deletions", description = "Deletions held by the accidental-delete protection, and the admin's decision.")
public class PendingDeletionsResource {

    private static final Logger LOG = Logger.getLogger(PendingDeletionsResource.class);

    private final DirectoryQueries queries;
    private final DeletionGate gate;
    private final AgroalDataSource dataSource;
    private final SecurityIdentity identity;
    private final OutboxRelay relay;

    PendingDeletionsResource(DirectoryQueries queries, DeletionGate gate, AgroalDataSource dataSource,
            SecurityIdentity identity, OutboxRelay relay) {
        this.queries = queries;
        this.gate = gate;
        this.relay = relay;
        this.dataSource = dataSource;
        this.identity = identity;
    }

    /** Held deletions by run, reason and kind with their share of the tenant, and a page of them. */
    @GET
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "List held deletions", description = "By run, reason and kind with their share of the "
            + "tenant's live objects, and a page of the held deletions themselves.")
    @APIResponse(responseCode = "200", description = "The held deletions.")
    public PendingDeletions list(@PathParam("tenant") String tenant,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("1000") @Min(1) @Max(1000) int size) {
        return queries.pendingDeletions(tenant, page, size);
    }

    @POST
    @Path("/approve")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Approve held deletions", description = "Applies the held deletions of every run of the "
            + "tenant, or of `runId` only (each only if no newer observation won meanwhile), publishes them with the admin "
            + "as `decidedBy` and a `deletions.decided` per run. Answer: tenantId, runId, applied (count).")
    @APIResponse(responseCode = "200", description = "How many were applied.")
    public Map<String, Object> approve(@PathParam("tenant") String tenant, @QueryParam("runId") String runId) {
        return decide(tenant, runId, true);
    }

    @POST
    @Path("/reject")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Reject held deletions", description = "Drops the held deletions of every run of the "
            + "tenant, or of `runId` only: nothing reaches the directory topics; records who and when. Answer: tenantId, "
            + "runId, rejected (count).")
    @APIResponse(responseCode = "200", description = "How many were rejected.")
    public Map<String, Object> reject(@PathParam("tenant") String tenant, @QueryParam("runId") String runId) {
        return decide(tenant, runId, false);
    }

    private Map<String, Object> decide(String tenant, String runId, boolean approve) {
        String admin = identity.getPrincipal().getName();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int n = approve ? gate.approve(connection, tenant, runId, admin) : gate.reject(connection, tenant, runId, admin);
                connection.commit();
                relay.requestFlush(); // the decision and what it applied are in the outbox
                LOG.infof("%s %s %d held deletions of tenant %s%s", admin, approve ? "approved" : "rejected", n, tenant,
                        runId == null ? "" : " run " + runId);
                return DirectoryQueries.row("tenantId", tenant, "runId", runId,
                        approve ? "applied" : "rejected", n);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
