package dev.idsync.processor.store;

import dev.idsync.events.DeletionDecision;
import dev.idsync.events.DeletionDecision.Decision;
import dev.idsync.processor.outbox.OutboxWriter;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Accidental-delete protection (anchor: Entra Connect stops an export over 500 deletions). Every
 * deletion of a run, from a removal event or a full sync's sweep, is first staged; when the run has
 * finished, the run's deletions are counted against the tenant's threshold (count and percent of the
 * tenant's live objects). At or below it they are applied; above it all of them are held until an admin
 * approves or rejects them. A deletion that arrives after its run was decided is counted with the run's
 * earlier ones and follows the run's decision. Deletions outside any run are decided at once.
 *
 * <p>What the gate lets through reaches the public topics in the same transaction ({@link DeletionApplier},
 * the outbox); a held deletion reaches none until an admin approves it, a rejected one never (docs/DESIGN.md
 * invariant 6). Each decision is published as {@code deletions.decided} on {@code idsync.sync.runs.v1}.
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

    /**
     * Decides a run's staged deletions once the run has finished (see the class comment), and says so: the
     * applied removals and the memberships that went with them, and the decision itself
     * ({@code deletions.decided}, released or held). A held deletion reaches no public topic.
     */
    void decide(Connection connection, RunKey run, Decided decided) throws SQLException {
        lockTenant(connection, run.tenantId());
        RunRow row = runRow(connection, run);
        if (row == null && !run.runId().isEmpty()) {
            return; // run events not seen yet: its deletions wait for syncrun.completed or .failed
        }
        if (row != null && row.status.equals("started")) {
            return;
        }
        Staged staged = staged(connection, run);
        boolean held = row != null && row.gate.equals("held");
        if (staged.count > 0) {
            long applied = count(connection, run, "applied");
            long live = liveObjects(connection, run.tenantId());
            TenantRules.DeleteThreshold threshold = rules.of(run.tenantId()).deleteThreshold();
            held = held || threshold.exceededBy(applied + staged.count, live);
            Instant decidedAt = row != null && row.finishedAt != null ? row.finishedAt : staged.lastObservedAt;
            long epoch = row == null ? 0 : row.epoch;
            if (held) {
                Map<String, Long> byReason = hold(connection, run, staged.count, applied, threshold);
                decided.gateDecision(run, epoch, decidedAt, decision(Decision.HELD, byReason, live, null));
            } else {
                Map<String, Long> byReason = DeletionApplier.apply(connection, run, "staged", null, decided);
                decided.gateDecision(run, epoch, decidedAt, decision(Decision.RELEASED, byReason, live, null));
            }
        }
        if (!held && row != null && row.sweeps()) {
            DeletionApplier.sweepMemberships(connection, run, row.epoch, row.finishedAt, row.swept, decided);
        }
        if (row != null && staged.count > 0) {
            setGate(connection, run, held ? "held" : "released");
        }
    }

    private static DeletionDecision decision(Decision decision, Map<String, Long> byReason, long live, String admin) {
        long deletions = byReason.values().stream().mapToLong(Long::longValue).sum();
        return new DeletionDecision(decision, deletions, byReason, live, admin);
    }

    private Map<String, Long> hold(Connection connection, RunKey run, long staged, long applied,
            TenantRules.DeleteThreshold threshold) throws SQLException {
        Map<String, Long> byReason = new TreeMap<>();
        try (PreparedStatement hold = connection.prepareStatement("""
                update deletions set status = 'held' where tenant_id = ? and run_id = ? and status = 'staged'
                returning reason""")) {
            hold.setString(1, run.tenantId());
            hold.setString(2, run.runId());
            try (ResultSet rs = hold.executeQuery()) {
                while (rs.next()) {
                    byReason.merge(rs.getString(1), 1L, Long::sum);
                }
            }
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
        return byReason;
    }

    /**
     * Applies the held deletions of a tenant (all runs, or one), publishing them through the outbox with
     * the admin as {@code decidedBy} and an {@code approved} decision per run; returns how many were held.
     */
    public int approve(Connection connection, String tenantId, String runId, String admin) throws SQLException {
        lockTenant(connection, tenantId);
        Decided decided = new Decided();
        int n = 0;
        for (RunKey run : heldRuns(connection, tenantId, runId)) {
            long live = liveObjects(connection, tenantId);
            Map<String, Long> byReason = DeletionApplier.apply(connection, run, "held", admin, decided);
            setGate(connection, run, "released");
            RunRow row = runRow(connection, run);
            if (row != null && row.sweeps()) {
                DeletionApplier.sweepMemberships(connection, run, row.epoch, row.finishedAt, row.swept, decided);
            }
            DeletionDecision decision = decision(Decision.APPROVED, byReason, live, admin);
            decided.gateDecision(run, row == null ? 0 : row.epoch, Instant.now(), decision);
            n += (int) decision.deletions();
        }
        OutboxWriter.append(connection, decided.events());
        return n;
    }

    /**
     * Drops the held deletions of a tenant (all runs, or one): the objects stay as they are, no public topic
     * hears of them; a {@code rejected} decision per run says who refused them.
     */
    public int reject(Connection connection, String tenantId, String runId, String admin) throws SQLException {
        lockTenant(connection, tenantId);
        long live = liveObjects(connection, tenantId);
        Map<String, Map<String, Long>> byRun = new TreeMap<>();
        try (PreparedStatement reject = connection.prepareStatement("""
                update deletions set status = 'rejected', decided_at = now(), decided_by = ?
                where tenant_id = ? and status = 'held' and (? is null or run_id = ?)
                returning run_id, reason""")) {
            reject.setString(1, admin);
            reject.setString(2, tenantId);
            reject.setString(3, runId);
            reject.setString(4, runId);
            try (ResultSet rs = reject.executeQuery()) {
                while (rs.next()) {
                    byRun.computeIfAbsent(rs.getString(1), r -> new TreeMap<>()).merge(rs.getString(2), 1L, Long::sum);
                }
            }
        }
        Decided decided = new Decided();
        int n = 0;
        for (Map.Entry<String, Map<String, Long>> rejected : byRun.entrySet()) {
            RunKey run = new RunKey(tenantId, rejected.getKey());
            RunRow row = runRow(connection, run);
            DeletionDecision decision = decision(Decision.REJECTED, rejected.getValue(), live, admin);
            decided.gateDecision(run, row == null ? 0 : row.epoch, Instant.now(), decision);
            n += (int) decision.deletions();
        }
        OutboxWriter.append(connection, decided.events());
        return n;
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

    /**
     * @param swept      the resources the completed run read completely (see DirectoryBatchApplier#swept); empty:
     *                   all; null: the run sweeps nothing
     * @param finishedAt the {@code observedAt} of the run's completion (or failure)
     */
    private record RunRow(String status, String mode, long epoch, Set<String> swept, String gate, Instant finishedAt) {
        boolean sweeps() {
            return status.equals("completed") && swept != null;
        }
    }

    private static RunRow runRow(Connection connection, RunKey run) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("""
                select status, mode, epoch, swept_resources, gate, finished_at from sync_runs
                where tenant_id = ? and run_id = ?""")) {
            q.setString(1, run.tenantId());
            q.setString(2, run.runId());
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                java.sql.Array swept = rs.getArray(4);
                Timestamp finished = rs.getTimestamp(6);
                return new RunRow(rs.getString(1), rs.getString(2), rs.getLong(3),
                        swept == null ? null : Set.of((String[]) swept.getArray()), rs.getString(5),
                        finished == null ? null : finished.toInstant());
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

    private record Staged(long count, Instant lastObservedAt) {
    }

    private static Staged staged(Connection connection, RunKey run) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("""
                select count(*), max(observed_at) from deletions where tenant_id = ? and run_id = ? and status = 'staged'""")) {
            q.setString(1, run.tenantId());
            q.setString(2, run.runId());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                Timestamp last = rs.getTimestamp(2);
                return new Staged(rs.getLong(1), last == null ? null : last.toInstant());
            }
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
     * Serialises every writer of a tenant's store (the consumer's batches and an admin's decisions), for the
     * rest of the transaction: an approval and a late deletion of the same run never decide past each other,
     * and a batch that read stored rows to decide in Java writes them before anyone else changes them.
     */
    static void lockTenant(Connection connection, String tenantId) throws SQLException {
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
