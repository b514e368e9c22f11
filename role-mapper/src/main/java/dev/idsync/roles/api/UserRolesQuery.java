package dev.idsync.roles.api;

import dev.idsync.roles.assignment.Assignment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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
        Map<String, List<AssignmentView>> byRole = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement("""
                select a.role, a.source, a.group_id, a.access_level, g.display_name
                from role_assignments a left join groups g on g.tenant_id = a.tenant_id and g.group_id = a.group_id
                where a.tenant_id = ? and a.user_id = ?
                order by a.role, a.source, a.group_id""")) {
            q.setString(1, tenant);
            q.setString(2, user);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String source = rs.getString(2);
                    String group = rs.getString(3);
                    String via = Assignment.MANUAL.equals(source) ? "manual" : group.isEmpty() ? "default" : "group";
                    byRole.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new AssignmentView(source, via,
                            group.isEmpty() ? null : group, rs.getString(5), rs.getString(4)));
                }
            }
        }
        boolean active = "active".equals(state);
        List<RoleView> roles = new ArrayList<>();
        byRole.forEach((role, views) -> roles.add(new RoleView(role,
                active && !views.isEmpty(), views)));
        return new UserRolesView(tenant, user, state, roles);
    }
}
