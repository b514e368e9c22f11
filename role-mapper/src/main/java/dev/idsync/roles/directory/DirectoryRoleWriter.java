package dev.idsync.roles.directory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes directory roles and their members ({@code roles.directory_roles}, {@code directory_role_members}) as
 * batched statements with the same {@code observedAt} rule and removal tombstones as group memberships
 * ({@link MembershipWriter}), in the caller's transaction.
 */
public final class DirectoryRoleWriter {

    /** A directory role as observed: removed, or its template id and display name. */
    public record RoleObservation(String tenantId, String roleId, boolean removed, String templateId, String displayName,
            Instant observedAt) {
    }

    private static final String UPSERT_ROLE = """
            insert into directory_roles as r (tenant_id, role_id, template_id, display_name, removed, observed_at)
            values (?, ?, ?, ?, ?, ?)
            on conflict (tenant_id, role_id) do update
                set template_id = coalesce(excluded.template_id, r.template_id),
                    display_name = coalesce(excluded.display_name, r.display_name),
                    removed = excluded.removed, observed_at = excluded.observed_at
                where r.observed_at <= excluded.observed_at
            """;
    private static final String ADD = """
            insert into directory_role_members as m (tenant_id, role_id, member_id, observed_at)
            select ?, ?, ?, ?
            where not exists (select 1 from directory_role_member_removals r
                              where r.tenant_id = ? and r.role_id = ? and r.member_id = ? and r.observed_at > ?)
            on conflict (tenant_id, role_id, member_id) do update set observed_at = excluded.observed_at
                where m.observed_at <= excluded.observed_at
            """;
    private static final String CLEAR_TOMBSTONE = """
            delete from directory_role_member_removals
            where tenant_id = ? and role_id = ? and member_id = ? and observed_at <= ?""";
    private static final String REMOVE = """
            delete from directory_role_members
            where tenant_id = ? and role_id = ? and member_id = ? and observed_at <= ?""";
    private static final String TOMBSTONE = """
            insert into directory_role_member_removals as r (tenant_id, role_id, member_id, observed_at)
            values (?, ?, ?, ?)
            on conflict (tenant_id, role_id, member_id) do update set observed_at = excluded.observed_at
                where r.observed_at <= excluded.observed_at""";

    private DirectoryRoleWriter() {
    }

    public static void writeRoles(Connection c, Collection<RoleObservation> observations) throws SQLException {
        Map<String, RoleObservation> newest = new LinkedHashMap<>();
        observations.forEach(o -> newest.merge(o.tenantId() + "\u0000" + o.roleId(), o,
                (held, next) -> next.observedAt().isBefore(held.observedAt()) ? held : next));
        try (PreparedStatement upsert = c.prepareStatement(UPSERT_ROLE)) {
            for (RoleObservation o : newest.values()) {
                upsert.setString(1, o.tenantId());
                upsert.setString(2, o.roleId());
                upsert.setString(3, o.templateId());
                upsert.setString(4, o.displayName());
                upsert.setBoolean(5, o.removed());
                upsert.setTimestamp(6, Timestamp.from(o.observedAt()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** {@code changes}: {@link MembershipChange} with the directory role as {@code groupId}; folded here. */
    public static void writeMembers(Connection c, Collection<MembershipChange> changes) throws SQLException {
        List<MembershipChange> folded = MembershipWriter.fold(changes);
        try (PreparedStatement add = c.prepareStatement(ADD);
                PreparedStatement clear = c.prepareStatement(CLEAR_TOMBSTONE);
                PreparedStatement remove = c.prepareStatement(REMOVE);
                PreparedStatement tombstone = c.prepareStatement(TOMBSTONE)) {
            for (MembershipChange m : folded) {
                Timestamp at = Timestamp.from(m.observedAt());
                if (m.added()) {
                    bind(add, m, at, 1);
                    bind(add, m, at, 5);
                    add.addBatch();
                    bind(clear, m, at, 1);
                    clear.addBatch();
                } else {
                    bind(remove, m, at, 1);
                    remove.addBatch();
                    bind(tombstone, m, at, 1);
                    tombstone.addBatch();
                }
            }
            add.executeBatch();
            clear.executeBatch();
            remove.executeBatch();
            tombstone.executeBatch();
        }
    }

    private static void bind(PreparedStatement s, MembershipChange m, Timestamp at, int from) throws SQLException {
        s.setString(from, m.tenantId());
        s.setString(from + 1, m.groupId());
        s.setString(from + 2, m.memberId());
        s.setTimestamp(from + 3, at);
    }
}
