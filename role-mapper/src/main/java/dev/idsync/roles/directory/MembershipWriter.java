package dev.idsync.roles.directory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes membership observations to {@code roles.group_members} as batched statements, in the caller's
 * transaction.
 *
 * <p>Removals leave a tombstone with their observation time: without it, an "added" that is older than a
 * "removed" (a replay, a late record, an old login token) would bring the membership back. With it,
 * every statement compares observation times, so the result does not depend on how often or in which
 * batches the observations arrive.
 *
 * <p>Each statement touches one membership row and compares only that membership's times, so only each
 * membership's own changes need to stay in order, which is what the memberships topic guarantees (key
 * {@code <tenant>:<group>:<member>}): two members of one group may arrive in either order, in different
 * partitions and batches.
 */
public final class MembershipWriter {

    private static final String ADD = """
            insert into group_members as m (tenant_id, group_id, member_id, member_type, observed_at)
            select ?, ?, ?, ?, ?
            where not exists (select 1 from group_member_removals r
                              where r.tenant_id = ? and r.group_id = ? and r.member_id = ? and r.observed_at > ?)
            on conflict (tenant_id, group_id, member_id) do update
                set member_type = excluded.member_type, observed_at = excluded.observed_at
                where m.observed_at <= excluded.observed_at
            """;
    private static final String CLEAR_TOMBSTONE = """
            delete from group_member_removals
            where tenant_id = ? and group_id = ? and member_id = ? and observed_at <= ?
            """;
    private static final String REMOVE = """
            delete from group_members
            where tenant_id = ? and group_id = ? and member_id = ? and observed_at <= ?
            """;
    private static final String TOMBSTONE = """
            insert into group_member_removals as r (tenant_id, group_id, member_id, observed_at)
            values (?, ?, ?, ?)
            on conflict (tenant_id, group_id, member_id) do update set observed_at = excluded.observed_at
                where r.observed_at <= excluded.observed_at
            """;

    private MembershipWriter() {
    }

    /**
     * Keeps the newest observation per group and member (one row may be touched once per statement batch); of
     * two with the same time the later in the batch wins, as it would in two batches.
     */
    public static List<MembershipChange> fold(Collection<MembershipChange> changes) {
        Map<String, MembershipChange> newest = new LinkedHashMap<>();
        for (MembershipChange change : changes) {
            newest.merge(change.tenantId() + "\u0000" + change.groupId() + "\u0000" + change.memberId(), change,
                    (held, next) -> next.observedAt().isBefore(held.observedAt()) ? held : next);
        }
        return new ArrayList<>(newest.values());
    }

    /** {@code changes} must be folded (at most one per group and member). */
    public static void write(Connection connection, List<MembershipChange> changes) throws SQLException {
        try (PreparedStatement add = connection.prepareStatement(ADD);
                PreparedStatement clear = connection.prepareStatement(CLEAR_TOMBSTONE);
                PreparedStatement remove = connection.prepareStatement(REMOVE);
                PreparedStatement tombstone = connection.prepareStatement(TOMBSTONE)) {
            for (MembershipChange c : changes) {
                Timestamp at = Timestamp.from(c.observedAt());
                if (c.added()) {
                    add.setString(1, c.tenantId());
                    add.setString(2, c.groupId());
                    add.setString(3, c.memberId());
                    add.setString(4, c.memberType());
                    add.setTimestamp(5, at);
                    add.setString(6, c.tenantId());
                    add.setString(7, c.groupId());
                    add.setString(8, c.memberId());
                    add.setTimestamp(9, at);
                    add.addBatch();
                    bindPair(clear, c, at);
                    clear.addBatch();
                } else {
                    bindPair(remove, c, at);
                    remove.addBatch();
                    bindPair(tombstone, c, at);
                    tombstone.addBatch();
                }
            }
            add.executeBatch();
            clear.executeBatch();
            remove.executeBatch();
            tombstone.executeBatch();
        }
    }

    private static void bindPair(PreparedStatement statement, MembershipChange c, Timestamp at) throws SQLException {
        statement.setString(1, c.tenantId());
        statement.setString(2, c.groupId());
        statement.setString(3, c.memberId());
        statement.setTimestamp(4, at);
    }
}
