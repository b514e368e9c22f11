package dev.idsync.roles.api;

import dev.idsync.roles.assignment.Assignment;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a user's effective roles with their sources (one query for the assignments, one for the state). */
public final class UserRolesQuery {

    private UserRolesQuery() {
    }

    public static UserRolesView read(Connection c, String tenant, String user) throws SQLException {
        String state = "unknown";
        try (PreparedStatement q = c.prepareStatement("select state from users where tenant_id = ? and user_id = ?")) {
            q.setString(1, tenant);
            q.setString(2, user);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    state = rs.getString(1);
                }
            }
        }
        record Row(String role, String source, String group, String access, String groupName, List<String> path,
                boolean directoryRole) {
        }
        List<Row> rows = new ArrayList<>();
        Set<String> pathGroups = new HashSet<>();
        try (PreparedStatement q = c.prepareStatement("""
                select a.role, a.source, a.group_id, a.access_level, coalesce(g.display_name, d.display_name), a.path,
                       d.role_id is not null
                from role_assignments a left join groups g on g.tenant_id = a.tenant_id and g.group_id = a.group_id
                     left join directory_roles d on d.tenant_id = a.tenant_id and d.role_id = a.group_id
                where a.tenant_id = ? and a.user_id = ?
                order by a.role, a.source, a.group_id""")) {
            q.setString(1, tenant);
            q.setString(2, user);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Array path = rs.getArray(6);
                    List<String> ids = path == null ? null : List.of((String[]) path.getArray());
                    if (ids != null) {
                        pathGroups.addAll(ids);
                    }
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), ids,
                            rs.getBoolean(7)));
                }
            }
        }
        Map<String, String> names = groupNames(c, tenant, pathGroups);
        Map<String, List<AssignmentView>> byRole = new LinkedHashMap<>();
        for (Row row : rows) {
            String via = Assignment.MANUAL.equals(row.source()) ? "manual" : row.group().isEmpty() ? "default"
                    : row.directoryRole() ? "directoryRole" : "group";
            String why = row.path() == null ? null
                    : row.path().stream().map(id -> names.getOrDefault(id, id)).collect(Collectors.joining(" ← ")) + " ← user";
            byRole.computeIfAbsent(row.role(), k -> new ArrayList<>()).add(new AssignmentView(row.source(), via,
                    row.group().isEmpty() ? null : row.group(), row.groupName(), row.access(), row.path(), why));
        }
        boolean active = "active".equals(state);
        List<RoleView> roles = new ArrayList<>();
        byRole.forEach((role, views) -> roles.add(new RoleView(role,
                active && !views.isEmpty(), views)));
        return new UserRolesView(tenant, user, state, roles);
    }

    private static Map<String, String> groupNames(Connection c, String tenant, Set<String> groups) throws SQLException {
        Map<String, String> names = new HashMap<>();
        if (groups.isEmpty()) {
            return names;
        }
        try (PreparedStatement q = c.prepareStatement(
                "select group_id, display_name from groups where tenant_id = ? and group_id = any (?) and display_name is not null")) {
            q.setString(1, tenant);
            q.setArray(2, c.createArrayOf("text", groups.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return names;
    }
}
