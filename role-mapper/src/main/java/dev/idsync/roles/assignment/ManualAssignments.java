package dev.idsync.roles.assignment;

import dev.idsync.api.FieldError;
import dev.idsync.api.ProblemException;
import dev.idsync.roles.Cause;
import dev.idsync.roles.UserRef;
import dev.idsync.roles.api.UserRolesQuery;
import dev.idsync.roles.api.UserRolesView;
import dev.idsync.roles.db.Transactions;
import dev.idsync.roles.db.UserLocks;
import dev.idsync.roles.mapping.MappingCatalog;
import dev.idsync.roles.mapping.TenantMappings;
import dev.idsync.roles.metrics.RoleMetrics;
import dev.idsync.roles.outbox.OutboxRelay;
import dev.idsync.roles.outbox.OutboxWriter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Manual role assignments (set by an administrator over the API). Sync never touches them; they are
 * kept when the user is disabled or removed (and reported inactive then). Each actual change is one
 * event; repeating a request changes nothing and publishes nothing.
 */
@ApplicationScoped
public class ManualAssignments {

    /** What a manual request did and the user's roles afterwards. */
    public record Outcome(List<AssignmentChange> changes, UserRolesView roles) {
        public boolean changed() {
            return !changes.isEmpty();
        }
    }

    private static final Set<String> ACCESS = Set.of("read", "edit");

    private final Transactions transactions;
    private final MappingCatalog catalog;
    private final OutboxRelay relay;
    private final RoleMetrics metrics;

    ManualAssignments(Transactions transactions, MappingCatalog catalog, OutboxRelay relay, RoleMetrics metrics) {
        this.transactions = transactions;
        this.catalog = catalog;
        this.relay = relay;
        this.metrics = metrics;
    }

    public Outcome assign(String tenant, String user, String role, String accessLevel, String requestId) {
        if (accessLevel != null && !ACCESS.contains(accessLevel)) {
            throw ProblemException.unprocessable(List.of(new FieldError("accessLevel", "must be 'read' or 'edit'")));
        }
        return change(tenant, user, role, requestId, held -> {
            Assignment wanted = new Assignment(role, Assignment.MANUAL, Assignment.NO_GROUP, accessLevel);
            if (held != null && held.equals(wanted)) {
                return List.of();
            }
            List<Assignment[]> steps = new ArrayList<>();
            if (held != null) {
                steps.add(new Assignment[] {held, null});
            }
            steps.add(new Assignment[] {null, wanted});
            return steps;
        });
    }

    public Outcome unassign(String tenant, String user, String role, String requestId) {
        return change(tenant, user, role, requestId,
                held -> held == null ? List.of() : List.<Assignment[]>of(new Assignment[] {held, null}));
    }

    private interface Plan {
        /** Pairs of {revoke, grant}; either may be null. */
        List<Assignment[]> steps(Assignment held);
    }

    private Outcome change(String tenant, String user, String role, String requestId, Plan plan) {
        if (!catalog.configured(tenant)) {
            throw ProblemException.notFound("no tenant '" + tenant + "' in idsync.yaml");
        }
        UserRef ref = new UserRef(tenant, user);
        Cause cause = new Cause(requestId, 0, Instant.now());
        Outcome outcome = transactions.inTransaction("manual role assignment", c -> {
            TenantMappings mappings = catalog.load(c, tenant).orElseThrow();
            if (!mappings.knows(role)) {
                throw ProblemException.unprocessable(List.of(new FieldError("role",
                        "unknown role '" + role + "': must be one of " + mappings.mappings().roles())));
            }
            UserLocks.lock(c, List.of(ref));
            Map<String, Assignment> manual = AssignmentStore.assignments(c, List.of(ref), Assignment.MANUAL)
                    .getOrDefault(ref, Map.of());
            Assignment held = manual.get(new Assignment(role, Assignment.MANUAL, Assignment.NO_GROUP, null).slot());
            List<AssignmentChange> changes = new ArrayList<>();
            for (Assignment[] step : plan.steps(held)) {
                if (step[0] != null) {
                    changes.add(new AssignmentChange(ref, step[0], false, cause));
                }
                if (step[1] != null) {
                    changes.add(new AssignmentChange(ref, step[1], true, cause));
                }
            }
            AssignmentStore.write(c, changes, cause.observedAt());
            OutboxWriter.append(c, changes);
            return new Outcome(changes, UserRolesQuery.read(c, tenant, user));
        });
        metrics.changed(outcome.changes());
        if (outcome.changed()) {
            relay.flushOrLeaveToSchedule();
        }
        return outcome;
    }
}
