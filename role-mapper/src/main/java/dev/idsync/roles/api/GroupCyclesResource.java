package dev.idsync.roles.api;

import dev.idsync.api.ProblemException;
import dev.idsync.api.Roles;
import dev.idsync.roles.db.Transactions;
import dev.idsync.roles.mapping.MappingCatalog;
import dev.idsync.roles.nesting.GroupCycles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The group-in-group cycles role-mapper cut in a tenant's feed (role {@code idsync.reader}). */
@Path("/api/tenants/{tenant}/group-cycles")
@Produces(MediaType.APPLICATION_JSON)
public class GroupCyclesResource {

    public record CyclesView(String tenantId, List<GroupCycles.Cycle> cycles) {
    }

    private final Transactions transactions;
    private final MappingCatalog catalog;

    GroupCyclesResource(Transactions transactions, MappingCatalog catalog) {
        this.transactions = transactions;
        this.catalog = catalog;
    }

    @GET
    @RolesAllowed(Roles.READER)
    public CyclesView cycles(@PathParam("tenant") String tenant) {
        if (!catalog.configured(tenant)) {
            throw ProblemException.notFound("no tenant '" + tenant + "' in idsync.yaml");
        }
        return new CyclesView(tenant, transactions.inTransaction("read group cycles", c -> GroupCycles.list(c, tenant)));
    }
}
