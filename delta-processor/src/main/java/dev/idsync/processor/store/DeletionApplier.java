package dev.idsync.processor.store;

import dev.idsync.events.RemovalReason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies deletions the gate let through to the store, set-based, and decides what the public topics
 * learn from it: each object actually removed ({@code RETURNING} says which) as {@code *.removed} with its
 * reason and, for an admin's approval, {@code decidedBy}; each membership that goes with it as
 * {@code membership.removed}. Placeholders are not published (CONTRACT.md), their memberships are.
 */
final class DeletionApplier {

    // Only if no newer observation of the object won meanwhile.
    private static final String APPLY_REMOVALS = """
            update objects o set state = %s, removal_reason = d.reason, observed_at = d.observed_at, run_id = ?,
                                 epoch = greatest(o.epoch, d.epoch), updated_at = now()
            from deletions d
            where d.tenant_id = ? and d.run_id = ? and d.status = ? and d.source = 'event'
              and o.tenant_id = d.tenant_id and o.object_id = d.object_id and o.observed_at < d.observed_at
            returning o.object_id, o.kind, o.placeholder, d.reason, d.observed_at, d.epoch
            """.formatted(ObjectState.afterRemovalSql("d.reason"));

    // The sweep keeps the object's own observation, so the object's late upsert of the new epoch (newer by
    // definition) restores it, while a replay of an old one does not; and an object that was seen in the
    // new epoch in the meantime is not swept at all.
    private static final String APPLY_SWEEP = """
            update objects o set state = 'pendingDeletion', removal_reason = d.reason, run_id = ?, updated_at = now()
            from deletions d
            where d.tenant_id = ? and d.run_id = ? and d.status = ? and d.source = 'sweep'
              and o.tenant_id = d.tenant_id and o.object_id = d.object_id
              and o.state = 'active' and not o.placeholder and o.epoch < d.sweep_epoch
            returning o.object_id, o.kind, d.observed_at, d.epoch
            """;

    private static final String DROP_MEMBERSHIPS = """
            update memberships m set present = false, observed_at = greatest(m.observed_at, x.observed_at), run_id = ?,
                                     updated_at = now()
            from unnest(?::text[], ?::timestamptz[], ?::bigint[]) as x(object_id, observed_at, epoch)
            where m.tenant_id = ? and m.present and (m.container_id = x.object_id or m.member_id = x.object_id)
            returning m.container_id, m.member_id, m.container_kind, m.member_type, m.observed_at, x.epoch
            """;

    private static final String SWEEP_MEMBERSHIPS = """
            update memberships set present = false, run_id = ?, updated_at = now()
            where tenant_id = ? and present and epoch < ? and container_kind = any(?)
            returning container_id, member_id, container_kind, member_type
            """;

    private static final String MARK_APPLIED = """
            update deletions set status = 'applied', decided_at = now(), decided_by = ?
            where tenant_id = ? and run_id = ? and status = ?
            returning reason
            """;

    private DeletionApplier() {
    }

    private record Removed(String objectId, ObjectKind kind, boolean placeholder, String reason, Instant observedAt,
            long epoch) {
    }

    /**
     * Applies the run's deletions in {@code status} and marks them applied.
     *
     * @param decidedBy the admin who approved them, or null when the gate let them through by itself
     * @return the deletions marked applied, counted per reason
     */
    static Map<String, Long> apply(Connection connection, DeletionGate.RunKey run, String status, String decidedBy,
            Decided decided) throws SQLException {
        String runId = run.runId().isEmpty() ? null : run.runId();
        List<Removed> removed = new ArrayList<>();
        try (PreparedStatement apply = connection.prepareStatement(APPLY_REMOVALS)) {
            bindRun(apply, runId, run, status);
            try (ResultSet rs = apply.executeQuery()) {
                while (rs.next()) {
                    removed.add(new Removed(rs.getString(1), ObjectKind.ofDbValue(rs.getString(2)), rs.getBoolean(3),
                            rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getLong(6)));
                }
            }
        }
        try (PreparedStatement sweep = connection.prepareStatement(APPLY_SWEEP)) {
            bindRun(sweep, runId, run, status);
            try (ResultSet rs = sweep.executeQuery()) {
                while (rs.next()) {
                    removed.add(new Removed(rs.getString(1), ObjectKind.ofDbValue(rs.getString(2)), false,
                            ObjectState.NOT_SEEN_IN_FULL_SYNC, rs.getTimestamp(3).toInstant(), rs.getLong(4)));
                }
            }
        }
        removed.sort((a, b) -> a.objectId.compareTo(b.objectId));
        List<Removed> dropping = new ArrayList<>();
        for (Removed r : removed) {
            if (!r.placeholder) {
                decided.removed(r.kind, run.tenantId(), r.objectId, runId, r.epoch, r.observedAt,
                        RemovalReason.fromJson(r.reason).orElseThrow(), decidedBy);
            }
            if (ObjectState.afterRemoval(r.reason).dropsMemberships()) {
                dropping.add(r);
            }
        }
        dropMemberships(connection, run, runId, dropping, decided);
        Map<String, Long> byReason = new TreeMap<>();
        try (PreparedStatement mark = connection.prepareStatement(MARK_APPLIED)) {
            mark.setString(1, decidedBy == null ? "processor" : decidedBy);
            mark.setString(2, run.tenantId());
            mark.setString(3, run.runId());
            mark.setString(4, status);
            try (ResultSet rs = mark.executeQuery()) {
                while (rs.next()) {
                    byReason.merge(rs.getString(1), 1L, Long::sum);
                }
            }
        }
        return byReason;
    }

    private static void bindRun(PreparedStatement statement, String runId, DeletionGate.RunKey run, String status)
            throws SQLException {
        statement.setString(1, runId);
        statement.setString(2, run.tenantId());
        statement.setString(3, run.runId());
        statement.setString(4, status);
    }

    /** A member's or container's final removal takes its memberships with it (as container and as member). */
    private static void dropMemberships(Connection connection, DeletionGate.RunKey run, String runId,
            List<Removed> dropping, Decided decided) throws SQLException {
        if (dropping.isEmpty()) {
            return;
        }
        try (PreparedStatement drop = connection.prepareStatement(DROP_MEMBERSHIPS)) {
            drop.setString(1, runId);
            drop.setArray(2, connection.createArrayOf("text", dropping.stream().map(Removed::objectId).toArray()));
            drop.setArray(3, connection.createArrayOf("timestamptz",
                    dropping.stream().map(r -> Timestamp.from(r.observedAt)).toArray()));
            drop.setArray(4, connection.createArrayOf("bigint", dropping.stream().map(Removed::epoch).toArray()));
            drop.setString(5, run.tenantId());
            readRemovedMemberships(drop, run, runId, null, 0, decided);
        }
    }

    /**
     * After a released or approved sweep: memberships of the swept container kinds not seen in the run's
     * epoch are gone too.
     */
    static void sweepMemberships(Connection connection, DeletionGate.RunKey run, long epoch, Instant completedAt,
            Set<String> sweptResources, Decided decided) throws SQLException {
        List<String> containers = ObjectKind.dbValuesOfResources(sweptResources).stream()
                .filter(k -> k.equals(ObjectKind.GROUP.dbValue()) || k.equals(ObjectKind.DIRECTORY_ROLE.dbValue()))
                .toList();
        if (containers.isEmpty()) {
            return;
        }
        try (PreparedStatement sweep = connection.prepareStatement(SWEEP_MEMBERSHIPS)) {
            sweep.setString(1, run.runId());
            sweep.setString(2, run.tenantId());
            sweep.setLong(3, epoch);
            sweep.setArray(4, connection.createArrayOf("text", containers.toArray()));
            readRemovedMemberships(sweep, run, run.runId(), completedAt, epoch, decided);
        }
    }

    /**
     * Runs an update … returning the removed memberships; each becomes a membership.removed, in key order.
     * {@code observedAt} and {@code epoch} are the event's, or, with {@code observedAt} null, in the returned
     * row: the membership's observedAt as now stored (the newer of its last change and the removal that dropped
     * it), so a subscriber's observedAt guard never ignores a removal the store applied.
     */
    private static void readRemovedMemberships(PreparedStatement update, DeletionGate.RunKey run, String runId,
            Instant observedAt, long epoch, Decided decided) throws SQLException {
        record Dropped(String containerId, String memberId, ObjectKind containerKind, ObjectKind memberType,
                Instant observedAt, long epoch) {
        }
        List<Dropped> dropped = new ArrayList<>();
        try (ResultSet rs = update.executeQuery()) {
            boolean ownTimes = observedAt == null;
            while (rs.next()) {
                dropped.add(new Dropped(rs.getString(1), rs.getString(2), ObjectKind.ofDbValue(rs.getString(3)),
                        ObjectKind.ofDbValue(rs.getString(4)),
                        ownTimes ? rs.getTimestamp(5).toInstant() : observedAt, ownTimes ? rs.getLong(6) : epoch));
            }
        }
        dropped.sort((a, b) -> a.containerId.equals(b.containerId)
                ? a.memberId.compareTo(b.memberId) : a.containerId.compareTo(b.containerId));
        for (Dropped d : dropped) {
            decided.membership(d.containerKind, false, run.tenantId(), d.containerId, d.memberId, d.memberType, runId,
                    d.epoch, d.observedAt);
        }
    }
}
