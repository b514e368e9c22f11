package dev.idsync.roles.nesting;

import dev.idsync.roles.UserRef;
import dev.idsync.roles.assignment.MemberGroup;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Expands users' direct groups to every group they are in through nesting, with the shortest path for each
 * (ties broken by the path's ids, so the answer and the recorded why are stable). One {@link GroupGraph} per
 * tenant and call, loaded for all the users' direct groups at once and shared by them.
 */
public final class NestedMemberships {

    /** Shorter first, then by ids: the path recorded when a user reaches a group in several ways. */
    static final Comparator<List<String>> PREFERRED = Comparator.<List<String>>comparingInt(List::size)
            .thenComparing(p -> String.join("\u0000", p));

    /** Groups per user, and the cycles the walk cut (per tenant). */
    public record Expanded(Map<UserRef, List<MemberGroup>> groups, Map<String, Set<List<String>>> cycles) {
    }

    private NestedMemberships() {
    }

    public static Expanded expand(Connection c, Map<UserRef, List<MemberGroup>> direct) throws SQLException {
        Map<String, List<UserRef>> byTenant = new HashMap<>();
        direct.keySet().forEach(u -> byTenant.computeIfAbsent(u.tenantId(), k -> new ArrayList<>()).add(u));
        Map<UserRef, List<MemberGroup>> result = new HashMap<>();
        Map<String, Set<List<String>>> cycles = new HashMap<>();
        for (Map.Entry<String, List<UserRef>> tenant : byTenant.entrySet()) {
            Set<String> start = new TreeSet<>();
            tenant.getValue().forEach(u -> direct.get(u).forEach(g -> start.add(g.groupId())));
            GroupGraph graph = GroupGraph.above(c, tenant.getKey(), start);
            Set<List<String>> cut = graph.cycles();
            if (!cut.isEmpty()) {
                cycles.put(tenant.getKey(), cut);
            }
            for (UserRef user : tenant.getValue()) {
                result.put(user, expand(graph, direct.get(user)));
            }
        }
        return new Expanded(result, cycles);
    }

    private static List<MemberGroup> expand(GroupGraph graph, List<MemberGroup> direct) {
        Map<String, String> names = new HashMap<>();
        Map<String, List<String>> best = new LinkedHashMap<>();
        for (MemberGroup group : direct) {
            names.put(group.groupId(), group.displayName());
            graph.pathsFrom(group.groupId()).forEach((ancestor, path) ->
                    best.merge(ancestor, path, (held, next) -> PREFERRED.compare(next, held) < 0 ? next : held));
        }
        List<MemberGroup> groups = new ArrayList<>();
        best.forEach((group, path) -> groups.add(new MemberGroup(group,
                names.containsKey(group) ? names.get(group) : graph.name(group), path)));
        groups.sort(Comparator.comparing(MemberGroup::groupId));
        return groups;
    }
}
