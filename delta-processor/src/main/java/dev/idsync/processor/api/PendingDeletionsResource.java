package dev.idsync.processor.api;

import dev.idsync.api.Roles;
import dev.idsync.processor.store.DeletionGate;
import io.agroal.api.AgroalDataSource;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Deletions held by the accidental-delete protection, and the admin's decision on them: approve applies
 * them (each only if no newer observation of the object won meanwhile), reject drops them. Both for all
 * held runs of the tenant, or one run with {@code ?runId=}.
 */
@Path("/api/tenants/{tenant}/pending-deletions")
@Produces(MediaType.APPLICATION_JSON)
public class PendingDeletionsResource {

    private static final Logger LOG = Logger.getLogger(PendingDeletionsResource.class);

    private final DirectoryQueries queries;
    private final DeletionGate gate;
    private final AgroalDataSource dataSource;
    private final SecurityIdentity identity;

    PendingDeletionsResource(DirectoryQueries queries, DeletionGate gate, AgroalDataSource dataSource,
            SecurityIdentity identity) {
        this.queries = queries;
        this.gate = gate;
        this.dataSource = dataSource;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    public Map<String, Object> list(@PathParam("tenant") String tenant) {
        List<Map<String, Object>> held = queries.heldDeletions(tenant);
        return DirectoryQueries.row("tenantId", tenant, "count", held.size(), "items", held);
    }

    @POST
    @Path("/approve")
    @RolesAllowed(Roles.ADMIN)
    public Map<String, Object> approve(@PathParam("tenant") String tenant, @QueryParam("runId") String runId) {
        return decide(tenant, runId, true);
    }

    @POST
    @Path("/reject")
    @RolesAllowed(Roles.ADMIN)
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
