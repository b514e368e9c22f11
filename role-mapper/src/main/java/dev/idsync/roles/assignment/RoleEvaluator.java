package dev.idsync.roles.assignment;

import dev.idsync.roles.mapping.TenantMappings;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The federated assignments a user should hold: none unless active; then the default role, and one
 * assignment per mapped group the user is a member of (so a role held through two groups is two
 * assignments, and losing one group leaves the other). Which groups count — direct only, or nested too —
 * the caller decides ({@link TenantMappings#transitive()}); each assignment records the group's path.
 */
public final class RoleEvaluator {

    private RoleEvaluator() {
    }

    /** Keyed by {@link Assignment#slot()}. */
    public static Map<String, Assignment> federated(TenantMappings mappings, String userState,
            Collection<MemberGroup> groups) {
        return federated(mappings, userState, groups, java.util.List.of());
    }

    /**
     * With the directory roles the user is a member of: a mapped one gives its application role as a federated
     * assignment whose {@code groupId} is the directory role's object id (no path).
     */
    public static Map<String, Assignment> federated(TenantMappings mappings, String userState,
            Collection<MemberGroup> groups, Collection<MemberGroup.DirectoryRole> directoryRoles) {
        Map<String, Assignment> desired = new LinkedHashMap<>();
        if (!"active".equals(userState)) {
            return desired;
        }
        Assignment base = new Assignment(mappings.mappings().defaultRole(), Assignment.FEDERATED, Assignment.NO_GROUP, null);
        desired.put(base.slot(), base);
        for (MemberGroup group : groups) {
            mappings.roleFor(group.groupId(), group.displayName()).ifPresent(mapped -> {
                Assignment a = new Assignment(mapped.role(), Assignment.FEDERATED, group.groupId(), mapped.accessLevel(),
                        group.path());
                desired.put(a.slot(), a);
            });
        }
        for (MemberGroup.DirectoryRole role : directoryRoles) {
            mappings.roleForDirectoryRole(role.templateId(), role.displayName()).ifPresent(appRole -> {
                Assignment a = new Assignment(appRole, Assignment.FEDERATED, role.roleId(), null, null);
                desired.put(a.slot(), a);
            });
        }
        return desired;
    }
}
