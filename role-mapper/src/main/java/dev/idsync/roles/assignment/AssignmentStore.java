package dev.idsync.roles.assignment;

import dev.idsync.roles.UserRef;
import dev.idsync.roles.db.SqlArrays;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes {@code roles.role_assignments} and the facts role evaluation needs, in the caller's transaction. */
public final class AssignmentStore {

    private static final String IN_USERS = "(tenant_id, user_id) in (select * from unnest(?::text[], ?::text[]))";

    private AssignmentStore() {
    }

    public static Map<UserRef, String> states(Connection c, Collection<UserRef> users) throws SQLException {
        Map<UserRef, String> states = new HashMap<>();
        try (PreparedStatement q = prepare(c, "select tenant_id, user_id, state from users where " + IN_USERS, users);
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                states.put(new UserRef(rs.getString(1), rs.getString(2)), rs.getString(3));
            }
        }
        return states;
    }

    /** Groups (not removed) each user is a direct member of. */
    public static Map<UserRef, List<MemberGroup>> memberGroups(Connection c, Collection<UserRef> users) throws SQLException {
        Map<UserRef, List<MemberGroup>> groups = new HashMap<>();
        try (PreparedStatement q = prepare(c, """
                select m.tenant_id, m.member_id, m.group_id, g.display_name
                from group_members m left join groups g on g.tenant_id = m.tenant_id and g.group_id = m.group_id
                where m.member_type = 'user' and not coalesce(g.removed, false)
                  and (m.tenant_id, m.member_id) in (select * from unnest(?::text[], ?::text[]))
                order by m.group_id
                """, users);
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                groups.computeIfAbsent(new UserRef(rs.getString(1), rs.getString(2)), k -> new java.util.ArrayList<>())
                        .add(new MemberGroup(rs.getString(3), rs.getString(4)));
            }
        }
        return groups;
    }

    /** Directory roles (not removed) each user is a member of. */
    public static Map<UserRef, List<MemberGroup.DirectoryRole>> directoryRoles(Connection c, Collection<UserRef> users)
            throws SQLException {
        Map<UserRef, List<MemberGroup.DirectoryRole>> roles = new HashMap<>();
        try (PreparedStatement q = prepare(c, """
                select m.tenant_id, m.member_id, m.role_id, r.template_id, r.display_name
                from directory_role_members m join directory_roles r on r.tenant_id = m.tenant_id and r.role_id = m.role_id
                where not r.removed and (m.tenant_id, m.member_id) in (select * from unnest(?::text[], ?::text[]))
                order by m.role_id
                """, users);
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                roles.computeIfAbsent(new UserRef(rs.getString(1), rs.getString(2)), k -> new java.util.ArrayList<>())
                        .add(new MemberGroup.DirectoryRole(rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        return roles;
    }

    /** Stored assignments per user, keyed by {@link Assignment#slot()}; {@code source} null = all sources. */
    public static Map<UserRef, Map<String, Assignment>> assignments(Connection c, Collection<UserRef> users, String source)
            throws SQLException {
        Map<UserRef, Map<String, Assignment>> result = new HashMap<>();
        String sql = "select tenant_id, user_id, role, source, group_id, access_level, path from role_assignments where "
                + IN_USERS + (source == null ? "" : " and source = '" + source + "'") + " order by role, source, group_id";
        try (PreparedStatement q = prepare(c, sql, users); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                Array path = rs.getArray(7);
                Assignment a = new Assignment(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        path == null ? null : List.of((String[]) path.getArray()));
                result.computeIfAbsent(new UserRef(rs.getString(1), rs.getString(2)), k -> new LinkedHashMap<>())
                        .put(a.slot(), a);
            }
        }
        return result;
    }

    /**
     * Applies changes: revocations delete the row, grants insert it (an access-level change is both) or, when
     * only the path changed, update it in place.
     */
    public static void write(Connection c, List<AssignmentChange> changes, Instant now) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("""
                delete from role_assignments
                where tenant_id = ? and user_id = ? and role = ? and source = ? and group_id = ?""");
                PreparedStatement insert = c.prepareStatement("""
                insert into role_assignments (tenant_id, user_id, role, source, group_id, access_level, granted_at, path)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (tenant_id, user_id, role, source, group_id) do update
                    set access_level = excluded.access_level, path = excluded.path""")) {
            for (AssignmentChange change : changes) {
                Assignment a = change.assignment();
                PreparedStatement s = change.granted() ? insert : delete;
                s.setString(1, change.user().tenantId());
                s.setString(2, change.user().userId());
                s.setString(3, a.role());
                s.setString(4, a.source());
                s.setString(5, a.groupId());
                if (change.granted()) {
                    s.setString(6, a.accessLevel());
                    s.setTimestamp(7, Timestamp.from(now));
                    s.setArray(8, a.path() == null ? null : c.createArrayOf("text", a.path().toArray()));
                }
                s.addBatch();
            }
            delete.executeBatch();
            insert.executeBatch();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Collection<UserRef> users) throws SQLException {
        PreparedStatement q = c.prepareStatement(sql);
        Array[] arrays = SqlArrays.tenantsAndUsers(c, users);
        q.setArray(1, arrays[0]);
        q.setArray(2, arrays[1]);
        return q;
    }
}
