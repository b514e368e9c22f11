package dev.idsync.roles.mapping;

import dev.idsync.api.FieldError;
import dev.idsync.api.ProblemException;
import dev.idsync.roles.Cause;
import dev.idsync.roles.UserRef;
import dev.idsync.roles.assignment.AssignmentChange;
import dev.idsync.roles.assignment.AssignmentReconciler;
import dev.idsync.roles.db.TenantApplyLock;
import dev.idsync.roles.db.Transactions;
import dev.idsync.roles.metrics.RoleMetrics;
import dev.idsync.roles.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and replaces a tenant's mappings. A replacement is validated first (nothing is stored when any
 * field is wrong), then stored and applied to every user of the tenant in the same transaction, so the
 * stored assignments never disagree with the stored mappings.
 */
@ApplicationScoped
public class MappingEditor {

    /** The new mappings and how many assignments they changed. */
    public record Replaced(TenantMappings mappings, int changes) {
    }

    private final Transactions transactions;
    private final MappingCatalog catalog;
    private final AssignmentReconciler reconciler;
    private final OutboxRelay relay;
    private final RoleMetrics metrics;

    MappingEditor(Transactions transactions, MappingCatalog catalog, AssignmentReconciler reconciler, OutboxRelay relay,
            RoleMetrics metrics) {
        this.transactions = transactions;
        this.catalog = catalog;
        this.reconciler = reconciler;
        this.relay = relay;
        this.metrics = metrics;
    }

    public TenantMappings read(String tenant) {
        requireTenant(tenant);
        return transactions.inTransaction("read role mappings", c -> catalog.load(c, tenant).orElseThrow());
    }

    public Replaced replace(String tenant, RoleMappings mappings, String actor, String requestId) {
        requireTenant(tenant);
        if (mappings == null) {
            throw ProblemException.unprocessable(List.of(new FieldError("body", "role mappings are required")));
        }
        List<FieldError> errors = RoleMappingsValidator.validate(mappings);
        if (!errors.isEmpty()) {
            throw ProblemException.unprocessable(errors);
        }
        Cause cause = new Cause(requestId, 0, Instant.now());
        List<AssignmentChange> changes = transactions.inTransaction("replace role mappings", c -> {
            TenantApplyLock.lock(c, List.of(tenant));
            catalog.store(c, tenant, mappings, actor);
            Map<UserRef, Cause> users = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("""
                    select user_id from users where tenant_id = ?
                    union select member_id from group_members where tenant_id = ? and member_type = 'user'
                    union select user_id from role_assignments where tenant_id = ?""")) {
                q.setString(1, tenant);
                q.setString(2, tenant);
                q.setString(3, tenant);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        users.put(new UserRef(tenant, rs.getString(1)), cause);
                    }
                }
            }
            return reconciler.reconcile(c, users);
        });
        metrics.changed(changes);
        if (!changes.isEmpty()) {
            relay.flushOrLeaveToSchedule();
        }
        return new Replaced(read(tenant), changes.size());
    }

    private void requireTenant(String tenant) {
        if (!catalog.configured(tenant)) {
            throw ProblemException.notFound("no tenant '" + tenant + "' in idsync.yaml");
        }
    }
}
