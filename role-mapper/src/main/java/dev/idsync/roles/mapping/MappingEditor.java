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
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
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

    /** The new mappings, how many assignments they changed and what that did to users' roles. */
    public record Replaced(TenantMappings mappings, int changes, MappingEffect effect) {
    }

    private final Transactions transactions;
    private final MappingCatalog catalog;
    private final AssignmentReconciler reconciler;
    private final OutboxRelay relay;
    private final RoleMetrics metrics;
    private final ObjectMapper json;

    MappingEditor(Transactions transactions, MappingCatalog catalog, AssignmentReconciler reconciler, OutboxRelay relay,
            RoleMetrics metrics, ObjectMapper json) {
        this.transactions = transactions;
        this.catalog = catalog;
        this.reconciler = reconciler;
        this.relay = relay;
        this.metrics = metrics;
        this.json = json;
    }

    public TenantMappings read(String tenant) {
        requireTenant(tenant);
        return transactions.inTransaction("read role mappings", c -> catalog.load(c, tenant).orElseThrow());
    }

    /**
     * What saving {@code mappings} would do now: the same statements as {@link #replace} under the same
     * tenant lock, rolled back. Nothing is stored and no event is written.
     */
    public MappingEffect simulate(String tenant, RoleMappings mappings) {
        validated(tenant, mappings);
        Cause cause = new Cause("simulation", 0, Instant.now());
        return transactions.rolledBack("simulate role mappings", c -> {
            List<AssignmentChange> changes = apply(c, tenant, mappings, "simulation", cause);
            return MappingEffect.of(c, changes, document(mappings));
        });
    }

    /**
     * Stores and applies {@code mappings}; with {@code expectedSimulation} (a simulation's id) only if it
     * applies exactly the simulated changes, else nothing is stored (412). The change is recorded with who and
     * when in {@code roles.role_mapping_changes}, and every event it publishes names the actor.
     */
    public Replaced replace(String tenant, RoleMappings mappings, String actor, String requestId, String expectedSimulation) {
        validated(tenant, mappings);
        Cause cause = new Cause(requestId, 0, Instant.now(), actor);
        record Saved(List<AssignmentChange> changes, MappingEffect effect) {
        }
        Saved saved = transactions.inTransaction("replace role mappings", c -> {
            List<AssignmentChange> changes = apply(c, tenant, mappings, actor, cause);
            MappingEffect effect = MappingEffect.of(c, changes, document(mappings));
            if (expectedSimulation != null && !expectedSimulation.equals(effect.digest())) {
                // Thrown inside the transaction: the mappings and the assignments are rolled back.
                throw new ProblemException(412, "Precondition Failed", "the directory or the mappings changed since simulation "
                        + expectedSimulation + ": saving now would apply other changes; simulate again",
                        List.of(new FieldError("If-Match", "simulation " + expectedSimulation + " is outdated; now "
                                + effect.digest())));
            }
            audit(c, tenant, requestId, actor, mappings, effect, cause.observedAt());
            return new Saved(changes, effect);
        });
        metrics.changed(saved.changes());
        if (!saved.changes().isEmpty()) {
            relay.flushOrLeaveToSchedule();
        }
        return new Replaced(read(tenant), saved.changes().size(), saved.effect());
    }

    private void validated(String tenant, RoleMappings mappings) {
        requireTenant(tenant);
        if (mappings == null) {
            throw ProblemException.unprocessable(List.of(new FieldError("body", "role mappings are required")));
        }
        List<FieldError> errors = RoleMappingsValidator.validate(mappings);
        if (!errors.isEmpty()) {
            throw ProblemException.unprocessable(errors);
        }
    }

    /** Stores the mappings and re-evaluates every user the tenant knows, in the caller's transaction. */
    private List<AssignmentChange> apply(Connection c, String tenant, RoleMappings mappings, String actor, Cause cause)
            throws SQLException {
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
    }

    private void audit(Connection c, String tenant, String requestId, String actor, RoleMappings mappings,
            MappingEffect effect, Instant at) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                insert into role_mapping_changes (tenant_id, request_id, changed_by, changed_at, document, gained, lost, assignments)
                values (?, ?, ?, ?, ?::jsonb, ?, ?, ?)""")) {
            insert.setString(1, tenant);
            insert.setString(2, requestId);
            insert.setString(3, actor);
            insert.setTimestamp(4, Timestamp.from(at));
            insert.setString(5, document(mappings));
            insert.setInt(6, effect.gains().size());
            insert.setInt(7, effect.losses().size());
            insert.setInt(8, effect.changedAssignments());
            insert.executeUpdate();
        }
    }

    /** The saved changes of a tenant, newest first. */
    public List<MappingChangeRecord> history(String tenant, int limit) {
        requireTenant(tenant);
        return transactions.inTransaction("read role mapping changes", c -> {
            List<MappingChangeRecord> records = new java.util.ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("""
                    select seq, request_id, changed_by, changed_at, gained, lost, assignments, document::text
                    from role_mapping_changes where tenant_id = ? order by seq desc limit ?""")) {
                q.setString(1, tenant);
                q.setInt(2, limit);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        records.add(new MappingChangeRecord(rs.getLong(1), rs.getString(2), rs.getString(3),
                                rs.getTimestamp(4).toInstant(), rs.getInt(5), rs.getInt(6), rs.getInt(7),
                                json.readValue(rs.getString(8), RoleMappings.class)));
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a stored role-mapping change does not parse", e);
            }
            return records;
        });
    }

    /** One saved mapping change: who, when, the request, what it changed, and the mappings it stored. */
    public record MappingChangeRecord(long seq, String requestId, String changedBy, Instant changedAt, int gained, int lost,
            int changedAssignments, RoleMappings mappings) {
    }

    private String document(RoleMappings mappings) {
        try {
            return json.writeValueAsString(mappings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write role mappings", e);
        }
    }

    private void requireTenant(String tenant) {
        if (!catalog.configured(tenant)) {
            throw ProblemException.notFound("no tenant '" + tenant + "' in idsync.yaml");
        }
    }
}
