package dev.idsync.roles.membership;

import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.SyncEvent;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Applies membership additions and removals to {@code roles.group_members} in one transaction per
 * batch, as batched statements.
 *
 * <p>Removals leave a tombstone with their observation time: without it, an "added" that is older than
 * a "removed" (a replay, or a late record) would bring the membership back. With it, every statement
 * compares observation times, so the result does not depend on how often or in which batches the
 * events arrive.
 */
@ApplicationScoped
public class MembershipApplier {

    private static final Logger LOG = Logger.getLogger(MembershipApplier.class);

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

    private final AgroalDataSource dataSource;

    MembershipApplier(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Returns how many group/member pairs the batch touched (after folding). */
    public int apply(List<SyncEvent> batch) {
        Map<String, SyncEvent> newestPerPair = new LinkedHashMap<>();
        for (SyncEvent event : batch) {
            String member = switch (event) {
                case MembershipAdded added -> added.data().memberId();
                case MembershipRemoved removed -> removed.data().memberId();
                default -> null;
            };
            if (member == null) {
                LOG.debugf("skipping %s on the memberships topic", event.ceType());
                continue;
            }
            newestPerPair.merge(event.key() + "/" + member, event,
                    (held, next) -> next.observedAt().isBefore(held.observedAt()) ? held : next);
        }
        List<MembershipAdded> additions = new ArrayList<>();
        List<MembershipRemoved> removals = new ArrayList<>();
        for (SyncEvent event : newestPerPair.values()) {
            switch (event) {
                case MembershipAdded added -> additions.add(added);
                case MembershipRemoved removed -> removals.add(removed);
                default -> throw new IllegalStateException("folded a non-membership event");
            }
        }
        if (newestPerPair.isEmpty()) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                writeAdditions(connection, additions);
                writeRemovals(connection, removals);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not apply " + newestPerPair.size() + " membership changes", e);
        }
        return newestPerPair.size();
    }

    private static void writeAdditions(Connection connection, List<MembershipAdded> additions) throws SQLException {
        try (PreparedStatement add = connection.prepareStatement(ADD);
                PreparedStatement clear = connection.prepareStatement(CLEAR_TOMBSTONE)) {
            for (MembershipAdded e : additions) {
                Timestamp at = Timestamp.from(e.observedAt());
                add.setString(1, e.tenantId());
                add.setString(2, e.groupId());
                add.setString(3, e.data().memberId());
                add.setString(4, e.data().memberType().json());
                add.setTimestamp(5, at);
                add.setString(6, e.tenantId());
                add.setString(7, e.groupId());
                add.setString(8, e.data().memberId());
                add.setTimestamp(9, at);
                add.addBatch();
                bindPair(clear, e.tenantId(), e.groupId(), e.data().memberId(), at);
                clear.addBatch();
            }
            add.executeBatch();
            clear.executeBatch();
        }
    }

    private static void writeRemovals(Connection connection, List<MembershipRemoved> removals) throws SQLException {
        try (PreparedStatement remove = connection.prepareStatement(REMOVE);
                PreparedStatement tombstone = connection.prepareStatement(TOMBSTONE)) {
            for (MembershipRemoved e : removals) {
                Timestamp at = Timestamp.from(e.observedAt());
                bindPair(remove, e.tenantId(), e.groupId(), e.data().memberId(), at);
                remove.addBatch();
                bindPair(tombstone, e.tenantId(), e.groupId(), e.data().memberId(), at);
                tombstone.addBatch();
            }
            remove.executeBatch();
            tombstone.executeBatch();
        }
    }

    private static void bindPair(PreparedStatement statement, String tenant, String group, String member, Timestamp at)
            throws SQLException {
        statement.setString(1, tenant);
        statement.setString(2, group);
        statement.setString(3, member);
        statement.setTimestamp(4, at);
    }
}
