package dev.idsync.roles.assignment;

import dev.idsync.roles.Cause;
import dev.idsync.roles.UserRef;
import dev.idsync.roles.db.UserLocks;
import dev.idsync.roles.mapping.MappingCatalog;
import dev.idsync.roles.mapping.TenantMappings;
import dev.idsync.roles.nesting.GroupCycles;
import dev.idsync.roles.nesting.NestedMemberships;
import dev.idsync.roles.outbox.OutboxWriter;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Brings users' stored federated assignments to what their facts (state, memberships, group names) and
 * the tenant's mappings say, in the caller's transaction: computes the difference, writes it and appends
 * one outbox event per actual change. A user whose assignments already match produces nothing, which is
 * what makes replays and repeated runs silent. Manual assignments are never read or written here.
 */
@ApplicationScoped
public class AssignmentReconciler {

    private final MappingCatalog catalog;
    private final GroupCycles cycles;

    AssignmentReconciler(MappingCatalog catalog, GroupCycles cycles) {
        this.catalog = catalog;
        this.cycles = cycles;
    }

    /**
     * Direct groups for tenants in {@code direct} mode; direct and nested ones for {@code transitive} tenants,
     * walked once for all users of the call. Cycles the walk cut are reported.
     */
    private Map<UserRef, List<MemberGroup>> memberGroups(Connection c, List<UserRef> users,
            Map<String, TenantMappings> mappings) throws SQLException {
        Map<UserRef, List<MemberGroup>> direct = AssignmentStore.memberGroups(c, users);
        Map<UserRef, List<MemberGroup>> nestedUsers = new HashMap<>();
        direct.forEach((user, groups) -> {
            if (mappings.get(user.tenantId()).transitive()) {
                nestedUsers.put(user, groups);
            }
        });
        if (nestedUsers.isEmpty()) {
            return direct;
        }
        NestedMemberships.Expanded expanded = NestedMemberships.expand(c, nestedUsers);
        for (Map.Entry<String, Set<List<String>>> cut : expanded.cycles().entrySet()) {
            cycles.report(c, cut.getKey(), cut.getValue());
        }
        Map<UserRef, List<MemberGroup>> result = new HashMap<>(direct);
        result.putAll(expanded.groups());
        return result;
    }

    public List<AssignmentChange> reconcile(Connection c, Map<UserRef, Cause> users) throws SQLException {
        if (users.isEmpty()) {
            return List.of();
        }
        Set<String> tenants = users.keySet().stream().map(UserRef::tenantId).collect(Collectors.toSet());
        Map<String, TenantMappings> mappings = catalog.load(c, tenants);
        List<UserRef> evaluated = users.keySet().stream().filter(u -> mappings.containsKey(u.tenantId()))
                .sorted(java.util.Comparator.comparing(UserRef::tenantId).thenComparing(UserRef::userId)).toList();
        if (evaluated.isEmpty()) {
            return List.of();
        }
        UserLocks.lock(c, evaluated);
        Map<UserRef, String> states = AssignmentStore.states(c, evaluated);
        Map<UserRef, List<MemberGroup>> groups = memberGroups(c, evaluated, mappings);
        Map<UserRef, Map<String, Assignment>> current = AssignmentStore.assignments(c, evaluated, Assignment.FEDERATED);
        // Off by default: read only for tenants that map directory roles.
        List<UserRef> withDirectoryRoles = evaluated.stream().filter(u -> mappings.get(u.tenantId()).mapsDirectoryRoles()).toList();
        Map<UserRef, List<MemberGroup.DirectoryRole>> directoryRoles = withDirectoryRoles.isEmpty() ? Map.of()
                : AssignmentStore.directoryRoles(c, withDirectoryRoles);

        List<AssignmentChange> changes = new ArrayList<>();
        for (UserRef user : evaluated) {
            Map<String, Assignment> desired = RoleEvaluator.federated(mappings.get(user.tenantId()),
                    states.get(user), groups.getOrDefault(user, List.of()), directoryRoles.getOrDefault(user, List.of()));
            Map<String, Assignment> held = current.getOrDefault(user, Map.of());
            Cause cause = users.get(user);
            Set<String> slots = new HashSet<>(held.keySet());
            slots.addAll(desired.keySet());
            for (String slot : slots.stream().sorted().toList()) {
                Assignment had = held.get(slot);
                Assignment wants = desired.get(slot);
                if (had != null && had.equals(wants)) {
                    continue;
                }
                if (had != null && had.onlyPathDiffers(wants)) {
                    // The same row held for another reason (a shorter path appeared, a middle group left):
                    // re-granted with its new why, not revoked, so no subscriber sees the role flicker.
                    changes.add(new AssignmentChange(user, wants, true, cause, true));
                    continue;
                }
                if (had != null) {
                    changes.add(new AssignmentChange(user, had, false, cause));
                }
                if (wants != null) {
                    changes.add(new AssignmentChange(user, wants, true, cause));
                }
            }
        }
        AssignmentStore.write(c, changes, Instant.now());
        OutboxWriter.append(c, changes);
        return changes;
    }
}
