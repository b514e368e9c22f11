package dev.idsync.roles.nesting;

import dev.idsync.roles.Cause;
import dev.idsync.roles.UserRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The users whose roles a change to some groups can change: every user directly in them or in a group
 * nested (at any depth) below them. One recursive statement for all groups of a batch; {@code union} keeps
 * each (start, group) once, so a cycle ends the recursion.
 */
public final class UsersBelow {

    private UsersBelow() {
    }

    /** {@code groups}: {@code <tenant>:<group>} → what changed it; each user gets the newest cause of its groups. */
    public static Map<UserRef, Cause> of(Connection c, Map<String, Cause> groups) throws SQLException {
        Map<UserRef, Cause> users = new HashMap<>();
        if (groups.isEmpty()) {
            return users;
        }
        List<String> tenants = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        groups.keySet().forEach(key -> {
            int colon = key.lastIndexOf(':');
            tenants.add(key.substring(0, colon));
            ids.add(key.substring(colon + 1));
        });
        try (PreparedStatement q = c.prepareStatement("""
                with recursive below (tenant_id, start_id, group_id) as (
                    select t, g, g from unnest(?::text[], ?::text[]) as s (t, g)
                    union
                    select b.tenant_id, b.start_id, m.member_id
                    from below b join group_members m on m.tenant_id = b.tenant_id and m.group_id = b.group_id
                    where m.member_type = 'group'
                )
                select distinct b.tenant_id, b.start_id, m.member_id
                from below b join group_members m on m.tenant_id = b.tenant_id and m.group_id = b.group_id
                where m.member_type = 'user'""")) {
            q.setArray(1, c.createArrayOf("text", tenants.toArray()));
            q.setArray(2, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    users.merge(new UserRef(rs.getString(1), rs.getString(3)),
                            groups.get(rs.getString(1) + ":" + rs.getString(2)), Cause::newer);
                }
            }
        }
        return users;
    }
}
