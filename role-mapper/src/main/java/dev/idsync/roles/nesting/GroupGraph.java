package dev.idsync.roles.nesting;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The part of one tenant's group-in-group graph above a set of groups, loaded set-based: one statement per
 * nesting level for all groups of the level (never one per user or per record), so a poll batch of any size
 * costs as many statements as the graph is deep. Removed groups are left out: nobody is a member through them.
 *
 * <p>Each group is loaded once, so a cycle (Entra forbids them; a corrupted feed) cannot make the walk loop:
 * {@link #pathsFrom} visits each group once and {@link #cycles} reports the cycles the loaded part contains.
 */
public final class GroupGraph {

    /** Nesting deeper than this is not followed (Entra has no limit; real tenants nest a few levels). */
    static final int MAX_LEVELS = 64;

    private final Map<String, List<String>> parents = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, Map<String, List<String>>> pathsCache = new HashMap<>();

    private GroupGraph() {
    }

    /** Loads every group above {@code start} (the groups themselves included). */
    public static GroupGraph above(Connection c, String tenant, Collection<String> start) throws SQLException {
        GroupGraph graph = new GroupGraph();
        Set<String> frontier = new TreeSet<>(start);
        Set<String> loaded = new HashSet<>();
        try (PreparedStatement q = c.prepareStatement("""
                select m.member_id, m.group_id, g.display_name
                from group_members m left join groups g on g.tenant_id = m.tenant_id and g.group_id = m.group_id
                where m.tenant_id = ? and m.member_type = 'group' and m.member_id = any (?)
                  and not coalesce(g.removed, false)""")) {
            for (int level = 0; !frontier.isEmpty() && level < MAX_LEVELS; level++) {
                loaded.addAll(frontier);
                q.setString(1, tenant);
                q.setArray(2, c.createArrayOf("text", frontier.toArray()));
                Set<String> next = new TreeSet<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String child = rs.getString(1);
                        String parent = rs.getString(2);
                        graph.parents.computeIfAbsent(child, k -> new ArrayList<>()).add(parent);
                        graph.names.putIfAbsent(parent, rs.getString(3));
                        if (!loaded.contains(parent)) {
                            next.add(parent);
                        }
                    }
                }
                frontier = next;
            }
        }
        graph.parents.values().forEach(Collections::sort);
        return graph;
    }

    /** Display name of a group reached as a parent; null when unknown. */
    public String name(String group) {
        return names.get(group);
    }

    /**
     * Every group {@code group} is in, itself included, with the shortest path that makes it so: group ids
     * from the ancestor down to {@code group}. Breadth-first over sorted parents, each group visited once, so
     * the answer is the same for the same edges however they were loaded, and a cycle ends the walk.
     */
    public Map<String, List<String>> pathsFrom(String group) {
        return pathsCache.computeIfAbsent(group, start -> {
            Map<String, String> reachedFrom = new LinkedHashMap<>();
            reachedFrom.put(start, null);
            Deque<String> queue = new ArrayDeque<>(List.of(start));
            while (!queue.isEmpty()) {
                String current = queue.poll();
                for (String parent : parents.getOrDefault(current, List.of())) {
                    if (!reachedFrom.containsKey(parent)) {
                        reachedFrom.put(parent, current);
                        queue.add(parent);
                    }
                }
            }
            Map<String, List<String>> paths = new LinkedHashMap<>();
            for (String ancestor : reachedFrom.keySet()) {
                List<String> path = new ArrayList<>();
                for (String at = ancestor; at != null; at = reachedFrom.get(at)) {
                    path.add(at);
                }
                paths.put(ancestor, List.copyOf(path));
            }
            return paths;
        });
    }

    /**
     * The cycles in the loaded part of the graph, each as its group ids in edge order (member, then the
     * group it is in, ...) rotated to start at the smallest id, so one cycle is always reported the same way.
     */
    public Set<List<String>> cycles() {
        Set<List<String>> cycles = new LinkedHashSet<>();
        Set<String> done = new HashSet<>();
        for (String root : new TreeSet<>(parents.keySet())) {
            if (done.contains(root)) {
                continue;
            }
            // Iterative depth-first search: the path from the root is on the stack; an edge back into it closes a cycle.
            List<String> stack = new ArrayList<>();
            Map<String, Integer> onStack = new HashMap<>();
            Deque<int[]> cursor = new ArrayDeque<>();
            stack.add(root);
            onStack.put(root, 0);
            cursor.push(new int[] {0});
            while (!stack.isEmpty()) {
                String node = stack.get(stack.size() - 1);
                List<String> next = parents.getOrDefault(node, List.of());
                int[] i = cursor.peek();
                if (i[0] < next.size()) {
                    String parent = next.get(i[0]++);
                    Integer at = onStack.get(parent);
                    if (at != null) {
                        cycles.add(rotated(stack.subList(at, stack.size())));
                    } else if (!done.contains(parent)) {
                        onStack.put(parent, stack.size());
                        stack.add(parent);
                        cursor.push(new int[] {0});
                    }
                } else {
                    done.add(node);
                    onStack.remove(node);
                    stack.remove(stack.size() - 1);
                    cursor.pop();
                }
            }
        }
        return cycles;
    }

    private static List<String> rotated(List<String> cycle) {
        int smallest = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (cycle.get(i).compareTo(cycle.get(smallest)) < 0) {
                smallest = i;
            }
        }
        List<String> result = new ArrayList<>(cycle.subList(smallest, cycle.size()));
        result.addAll(cycle.subList(0, smallest));
        return List.copyOf(result);
    }
}
