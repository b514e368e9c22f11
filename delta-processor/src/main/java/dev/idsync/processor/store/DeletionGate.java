package dev.idsync.processor.store;

import dev.idsync.processor.rules.TenantRuleBook;
import dev.idsync.processor.rules.TenantRules;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Accidental-delete protection (anchor: Entra Connect stops an export over 500 deletions). Every
 * deletion of a run, from a removal event or a full sync's sweep, is first staged; when the run has
 * finished, the run's deletions are counted against the tenant's threshold (count and percent of the
 * tenant's live objects). At or below it they are applied; above it all of them are held until an admin
 * approves or rejects them. A deletion that arrives after its run was decided is counted with the run's
 * earlier ones and follows the run's decision. Deletions outside any run are decided at once.
 */
@ApplicationScoped
public class DeletionGate {

    private static final Logger LOG = Logger.getLogger(DeletionGate.class);

    /** The run a deletion belongs to; {@code ""} stands for deletions outside any run. */
    public record RunKey(String tenantId, String runId) {
    }

    // Only what the store holds with an older observation and not already in that state is a deletion:
    // out-of-scope users never stored, or a removal replayed after a restore, are not.
    private static final String STAGE = """
            insert into deletions as d (tenant_id, run_id, object_id, kind, reason, source, observed_at, epoch)
            select ?, ?, ?, ?, ?, 'event', ?, ?
            where exists (select 1 from objects o where o.tenant_id = ? and o.object_id = ?
                          and o.observed_at < ? and o.state <> ?)
            on conflict (tenant_id, run_id, object_id) do update set
                reason = excluded.reason, observed_at = excluded.observed_at
            where d.status in ('staged', 'held') and d.observed_at < excluded.observed_at
            """;

    private static final String STAGE_SWEEP = """
            insert into deletions (tenant_id, run_id, object_id, kind, reason, source, sweep_epoch, observed_at, epoch)
            select tenant_id, ?, object_id, kind, ?, 'sweep', ?, ?, ?
            from objects
            where tenant_id = ? and state = 'active' and not placeholder and epoch < ? and kind = any(?)
            on conflict (tenant_id, run_id, object_id) do nothing
            """;

    private static final String APPLY_REMOVAL = """
            update objects set state = ?, removal_reason = ?, observed_at = ?, run_id = ?, epoch = ?,
                               updated_at = now()
            where tenant_id = ? and object_id = ? and observed_at < ?
            """;

    // The sweep keeps the object's own observation, so the object's late upsert of the new epoch (newer
    // by definition) restores it, while a replay of an old one does not; and an object that was seen in
    // the new epoch in the meantime is not swept at all.
    private static final String APPLY_SWEEP = """
            update objects set state = 'pendingDeletion', removal_reason = ?, run_id = ?, updated_at = now()
            where tenant_id = ? and object_id = ? and state = 'active' and not placeholder and epoch < ?
            """;

    private static final String DROP_MEMBERSHIPS = """
            update memberships set present = false, observed_at = greatest(observed_at, ?), run_id = ?,
                                   updated_at = now()
            where tenant_id = ? and (container_id = ? or member_id = ?) and present
            """;

    private static final String SWEEP_MEMBERSHIPS = """
            update memberships set present = false, run_id = ?, updated_at = now()
            where tenant_id = ? and present and epoch < ? and container_kind = any(?)
            """;

    private final TenantRuleBook rules;
    private final MeterRegistry registry;

    DeletionGate(TenantRuleBook rules, MeterRegistry registry) {
        this.rules = rules;
        this.registry = registry;
    }

    /** Stages the batch's removals; returns the runs they belong to. */
    Set<RunKey> stage(Connection connection, List<FoldedBatch.Removal> removals) throws SQLException {
        Set<RunKey> runs = new LinkedHashSet<>();
        if (removals.isEmpty()) {
            return runs;
        }
        try (PreparedStatement stage = connection.prepareStatement(STAGE)) {
            for (FoldedBatch.Removal r : removals) {
                String runId = r.runId() == null ? "" : r.runId();
                Timestamp observed = Timestamp.from(r.observedAt());
                stage.setString(1, r.tenantId());
                stage.setString(2, runId);
                stage.setString(3, r.objectId());
                stage.setString(4, r.kind().dbValue());
                stage.setString(5, r.reason());
                stage.setTimestamp(6, observed);
                stage.setLong(7, r.epoch());
                stage.setString(8, r.tenantId());
                stage.setString(9, r.objectId());
                stage.setTimestamp(10, observed);
                stage.setString(11, ObjectState.afterRemoval(r.reason()).dbValue());
                stage.addBatch();
                runs.add(new RunKey(r.tenantId(), runId));
            }
            stage.executeBatch();
        }
        return runs;
    }

    /** A full sync's sweep: the covered objects last seen in an epoch before {@code epoch} are staged. */
    void stageSweep(Connection connection, RunKey run, long epoch, Instant observedAt, Set<String> resources)
            throws SQLException {
        try (PreparedStatement sweep = connection.prepareStatement(STAGE_SWEEP)) {
            sweep.setString(1, run.runId());
            sweep.setString(2, ObjectState.NOT_SEEN_IN_FULL_SYNC);
            sweep.setLong(3, epoch);
            sweep.setTimestamp(4, Timestamp.from(observedAt));
            sweep.setLong(5, epoch);
            sweep.setString(6, run.tenantId());
            sweep.setLong(7, epoch);
            sweep.setArray(8, connection.createArrayOf("text", ObjectKind.dbValuesOfResources(resources).toArray()));
            int staged = sweep.executeUpdate();
            LOG.infof("full sync %s of tenant %s (epoch %d): %d objects not seen, staged as deletions",
                    run.runId(), run.tenantId(), epoch, staged);
        }
    }

    /** Decides a run's staged deletions once the run has finished (see the class comment). */
    void decide(Connection connection, RunKey run) throws SQLException {
        lockTenant(connection, run.tenantId());
        RunRow row = runRow(connection, run);
        if (row == null && !run.runId().isEmpty()) {
            return; // run events not seen yet: its deletions wait for syncrun.completed or .failed
        }
        if (row != null && row.status.equals("started")) {
            return;
        }
        long staged = count(connection, run, "staged");
        boolean held = row != null && row.gate.equals("held");
        if (staged > 0) {
            long applied = count(connection, run, "applied");
            TenantRules.DeleteThreshold threshold = rules.of(run.tenantId()).deleteThreshold();
            held = held || threshold.exceededBy(applied + staged, liveObjects(connection, run.tenantId()));
            if (held) {
                hold(connection, run, staged, applied, threshold);
            } else {
                applyRun(connection, run, "staged", "processor");
            }
        }
        if (!held && row != null && row.sweeps()) {
            sweepMemberships(connection, run, row);
        }
        if (row != null && staged > 0) {
            setGate(connection, run, held ? "held" : "released");
        }
    }

    private void hold(Connection connection, RunKey run, long staged, long applied,
            TenantRules.DeleteThreshold threshold) throws SQLException {
        try (PreparedStatement hold = connection.prepareStatement(
                "update deletions set status = 'held' where tenant_id = ? and run_id = ? and status = 'staged'")) {
            hold.setString(1, run.tenantId());
            hold.setString(2, run.runId());
            hold.executeUpdate();
        }
        registry.counter("idsync.processor.deletions.held", "tenant", run.tenantId()).increment(staged);
        MDC.put("tenant", run.tenantId());
        MDC.put("runId", run.runId());
        try {
            LOG.warnf("accidental-delete protection: run %s of tenant %s has %d deletions (threshold %d objects or %d %%);"
                    + " %d held until an admin approves or rejects them (GET /api/tenants/%s/pending-deletions)",
                    run.runId(), run.tenantId(), staged + applied, threshold.count(), threshold.percent(), staged,
                    run.tenantId());
        } finally {
            MDC.remove("tenant");
            MDC.remove("runId");
        }
    }

    /** Applies the held deletions of a tenant (all runs, or one); returns how many were held. */
    public int approve(Connection connection, String tenantId, String runId, String admin) throws SQLException {
        lockTenant(connection, tenantId);
        int n = 0;
        for (RunKey run : heldRuns(connection, tenantId, runId)) {
            n += applyRun(connection, run, "held", admin);
            setGate(connection, run, "released");
            RunRow row = runRow(connection, run);
            if (row != null && row.sweeps()) {
                sweepMemberships(connection, run, row);
            }
        }
        return n;
    }

    /** Drops the held deletions of a tenant (all runs, or one): the objects stay as they are. */
    public int reject(Connection connection, String tenantId, String runId, String admin) throws SQLException {
        lockTenant(connection, tenantId);
        try (PreparedStatement reject = connection.prepareStatement("""
                update deletions set status = 'rejected', decided_at = now(), decided_by = ?
                where tenant_id = ? and status = 'held' and (? is null or run_id = ?)""")) {
            reject.setString(1, admin);
            reject.setString(2, tenantId);
            reject.setString(3, runId);
            reject.setString(4, runId);
            return reject.executeUpdate();
        }
    }

    private static List<RunKey> heldRuns(Connection connection, String tenantId, String runId) throws SQLException {
        List<RunKey> runs = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement("""
                select distinct run_id from deletions
                where tenant_id = ? and status = 'held' and (? is null or run_id = ?) order by run_id""")) {
            q.setString(1, tenantId);
            q.setString(2, runId);
            q.setString(3, runId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    runs.add(new RunKey(tenantId, rs.getString(1)));
                }
            }
        }
        return runs;
    }

    private record Deletion(String objectId, String reason, String source, Long sweepEpoch, Timestamp observedAt,
            long epoch) {
    }

    /** Applies the run's deletions in {@code status}; each one only if no newer observation won meanwhile. */
    private static int applyRun(Connection connection, RunKey run, String status, String decidedBy) throws SQLException {
        List<Deletion> deletions = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement("""
                select object_id, reason, source, sweep_epoch, observed_at, epoch from deletions
                where tenant_id = ? and run_id = ? and status = ? order by observed_at, object_id""")) {
            q.setString(1, run.tenantId());
            q.setString(2, run.runId());
            q.setString(3, status);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    deletions.add(new Deletion(rs.getString(1), rs.getString(2), rs.getString(3),
                            (Long) rs.getObject(4), rs.getTimestamp(5), rs.getLong(6)));
                }
            }
        }
        String runId = run.runId().isEmpty() ? null : run.runId();
        List<Deletion> dropMemberships = new ArrayList<>();
        try (PreparedStatement removal = connection.prepareStatement(APPLY_REMOVAL);
                PreparedStatement sweep = connection.prepareStatement(APPLY_SWEEP)) {
            List<Deletion> removals = new ArrayList<>();
            for (Deletion d : deletions) {
                if (d.source.equals("sweep")) {
                    sweep.setString(1, d.reason);
                    sweep.setString(2, runId);
                    sweep.setString(3, run.tenantId());
                    sweep.setString(4, d.objectId);
                    sweep.setLong(5, d.sweepEpoch);
                    sweep.addBatch();
                } else {
                    removal.setString(1, ObjectState.afterRemoval(d.reason).dbValue());
                    removal.setString(2, d.reason);
                    removal.setTimestamp(3, d.observedAt);
                    removal.setString(4, runId);
                    removal.setLong(5, d.epoch);
                    removal.setString(6, run.tenantId());
                    removal.setString(7, d.objectId);
                    removal.setTimestamp(8, d.observedAt);
                    removal.addBatch();
                    removals.add(d);
                }
            }
            sweep.executeBatch();
            int[] updated = removal.executeBatch();
            for (int i = 0; i < updated.length; i++) {
                if (updated[i] != 0 && ObjectState.afterRemoval(removals.get(i).reason).dropsMemberships()) {
                    dropMemberships.add(removals.get(i));
                }
            }
        }
        if (!dropMemberships.isEmpty()) {
            try (PreparedStatement drop = connection.prepareStatement(DROP_MEMBERSHIPS)) {
                for (Deletion d : dropMemberships) {
                    drop.setTimestamp(1, d.observedAt);
                    drop.setString(2, runId);
                    drop.setString(3, run.tenantId());
                    drop.setString(4, d.objectId);
                    drop.setString(5, d.objectId);
                    drop.addBatch();
                }
                drop.executeBatch();
            }
        }
        try (PreparedStatement mark = connection.prepareStatement("""
                update deletions set status = 'applied', decided_at = now(), decided_by = ?
                where tenant_id = ? and run_id = ? and status = ?""")) {
            mark.setString(1, decidedBy);
            mark.setString(2, run.tenantId());
            mark.setString(3, run.runId());
            mark.setString(4, status);
            return mark.executeUpdate();
        }
    }

    private static void sweepMemberships(Connection connection, RunKey run, RunRow row) throws SQLException {
        List<String> containers = ObjectKind.dbValuesOfResources(row.swept).stream()
                .filter(k -> k.equals("group") || k.equals("directoryRole")).toList();
        if (containers.isEmpty()) {
            return;
        }
        try (PreparedStatement sweep = connection.prepareStatement(SWEEP_MEMBERSHIPS)) {
            sweep.setString(1, run.runId());
            sweep.setString(2, run.tenantId());
            sweep.setLong(3, row.epoch);
            sweep.setArray(4, connection.createArrayOf("text", containers.toArray()));
            sweep.executeUpdate();
        }
    }

    /**
     * @param swept the resources the completed run read completely (see DirectoryBatchApplier#swept); empty:
     *              all; null: the run sweeps nothing
     */
    private record RunRow(String status, String mode, long epoch, Set<String> swept, String gate) {
        boolean sweeps() {
            return status.equals("completed") && swept != null;
        }
    }

    private static RunRow runRow(Connection connection, RunKey run) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement(
                "select status, mode, epoch, swept_resources, gate from sync_runs where tenant_id = ? and run_id = ?")) {
            q.setString(1, run.tenantId());
            q.setString(2, run.runId());
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                java.sql.Array swept = rs.getArray(4);
                return new RunRow(rs.getString(1), rs.getString(2), rs.getLong(3),
                        swept == null ? null : Set.of((String[]) swept.getArray()), rs.getString(5));
            }
        }
    }

    private static void setGate(Connection connection, RunKey run, String gate) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement(
                "update sync_runs set gate = ?, updated_at = now() where tenant_id = ? and run_id = ? and gate <> ?")) {
            q.setString(1, gate);
            q.setString(2, run.tenantId());
            q.setString(3, run.runId());
            q.setString(4, gate);
            q.executeUpdate();
        }
    }

    private static long count(Connection connection, RunKey run, String status) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement(
                "select count(*) from deletions where tenant_id = ? and run_id = ? and status = ?")) {
            q.setString(1, run.tenantId());
            q.setString(2, run.runId());
            q.setString(3, status);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Serialises the gate's decisions per tenant (the consumer's and an admin's), for the rest of the
     * transaction: an approval and a late deletion of the same run never decide past each other.
     */
    private static void lockTenant(Connection connection, String tenantId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "idsync.directory.gate:" + tenantId);
            lock.execute();
        }
    }

    /** Active, non-placeholder objects of the tenant: what the threshold's percentage is of. */
    static long liveObjects(Connection connection, String tenantId) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement(
                "select count(*) from objects where tenant_id = ? and state = 'active' and not placeholder")) {
            q.setString(1, tenantId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
