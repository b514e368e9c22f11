package dev.idsync.poller.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.events.SyncMode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The poller's record of its runs ({@code poller.sync_runs}) and of each tenant's epoch. */
@ApplicationScoped
public class SyncRunLedger {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = """
            run_id, tenant_id, mode, resources, limit_users, trigger, epoch, state, started_at, finished_at,
            updated_at, pages, counts::text as counts, error, notes""";

    private final AgroalDataSource dataSource;
    private final FullSyncSchedule fullSyncs;

    SyncRunLedger(AgroalDataSource dataSource, FullSyncSchedule fullSyncs) {
        this.dataSource = dataSource;
        this.fullSyncs = fullSyncs;
    }

    /** The tenant's current epoch; the first run of a tenant opens epoch 1. */
    long currentEpoch(Connection c, String tenantId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                insert into tenant_epochs (tenant_id, epoch) values (?, 1)
                on conflict (tenant_id) do update set epoch = tenant_epochs.epoch returning epoch""")) {
            q.setString(1, tenantId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Opens the tenant's next epoch: a full sync, or a new initial round after an expired token. */
    public long nextEpoch(String tenantId) {
        try (Connection c = dataSource.getConnection()) {
            return nextEpoch(c, tenantId);
        } catch (SQLException e) {
            throw new IllegalStateException("could not open a new epoch of tenant " + tenantId, e);
        }
    }

    long nextEpoch(Connection c, String tenantId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                insert into tenant_epochs (tenant_id, epoch) values (?, 1)
                on conflict (tenant_id) do update set epoch = tenant_epochs.epoch + 1 returning epoch""")) {
            q.setString(1, tenantId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Records a run that holds its locks. {@code started_at} is the clock at insert, not the start transaction's
     * {@code now()}: that transaction may have begun before the tenant's previous run ended and let go.
     */
    void insert(Connection c, SyncRunRecord run) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                insert into sync_runs (run_id, tenant_id, mode, resources, limit_users, trigger, epoch, state, started_at)
                values (?, ?, ?, ?, ?, ?, ?, 'running', clock_timestamp())""")) {
            insert.setString(1, run.runId());
            insert.setString(2, run.tenantId());
            insert.setString(3, run.mode().json());
            insert.setArray(4, c.createArrayOf("text", run.resources().toArray()));
            insert.setObject(5, run.limitUsers());
            insert.setString(6, run.trigger());
            insert.setLong(7, run.epoch());
            insert.executeUpdate();
        }
    }

    /** The run holding any of these resources, as the ledger shows it (called while its lock is held). */
    Optional<String> activeRunId(Connection c, String tenantId, List<String> resources, boolean dryRun)
            throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                select run_id from sync_runs
                where tenant_id = ? and state = 'running' and resources && ? and (mode = 'dryRun') = ?
                order by started_at desc limit 1""")) {
            q.setString(1, tenantId);
            q.setArray(2, c.createArrayOf("text", resources.toArray()));
            q.setBoolean(3, dryRun);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Runs the ledger still shows as running although their lock is free now (ours): their instance ended
     * without closing them. They become 'interrupted'; their checkpoint is where the new run resumes.
     */
    int closeAbandoned(Connection c, String tenantId, List<String> resources, boolean dryRun) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                update sync_runs set state = 'interrupted', finished_at = now(), updated_at = now(),
                    error = 'abandoned: the instance running it stopped without closing it'
                where tenant_id = ? and state = 'running' and resources && ? and (mode = 'dryRun') = ?""")) {
            q.setString(1, tenantId);
            q.setArray(2, c.createArrayOf("text", resources.toArray()));
            q.setBoolean(3, dryRun);
            return q.executeUpdate();
        }
    }

    public void finish(String runId, String state, long epoch, long pages, Map<String, Long> counts, String error,
                       List<String> notes) {
        finish(runId, state, epoch, pages, counts, error, notes, false);
    }

    /**
     * Closes the run; with {@code fullSyncOfTenant} (a full run of all the tenant's resources) a completed run
     * is also the tenant's last full sync, in the same transaction, so the schedule never disagrees with
     * the runs.
     */
    void finish(String runId, String state, long epoch, long pages, Map<String, Long> counts, String error,
                List<String> notes, boolean fullSyncOfTenant) {
        String sql = """
                update sync_runs set state = ?, epoch = ?, pages = ?, counts = ?::jsonb, error = ?, notes = ?,
                    finished_at = now(), updated_at = now()
                where run_id = ?""";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setString(1, state);
                q.setLong(2, epoch);
                q.setLong(3, pages);
                q.setString(4, JSON.writeValueAsString(new TreeMap<>(counts)));
                q.setString(5, error);
                q.setArray(6, c.createArrayOf("text", notes.toArray()));
                q.setString(7, runId);
                q.executeUpdate();
                if (fullSyncOfTenant && "completed".equals(state)) {
                    fullSyncs.completed(c, runId);
                }
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not close run " + runId, e);
        }
    }

    public Optional<SyncRunRecord> find(String tenantId, String runId) {
        List<SyncRunRecord> found = query("select " + COLUMNS + " from sync_runs where tenant_id = ? and run_id = ?",
                tenantId, runId);
        return found.stream().findFirst();
    }

    /** The tenant's most recent runs, newest first. */
    public List<SyncRunRecord> recent(String tenantId, int limit) {
        return query("select " + COLUMNS + " from sync_runs where tenant_id = ? order by started_at desc limit "
                + Math.max(1, Math.min(limit, 500)), tenantId);
    }

    private List<SyncRunRecord> query(String sql, String... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                q.setString(i + 1, parameters[i]);
            }
            List<SyncRunRecord> runs = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    runs.add(read(rs));
                }
            }
            return runs;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not read runs", e);
        }
    }

    private static SyncRunRecord read(ResultSet rs) throws SQLException, IOException {
        Map<String, Long> counts = JSON.readValue(rs.getString("counts"), new TypeReference<Map<String, Long>>() { });
        return new SyncRunRecord(rs.getString("run_id"), rs.getString("tenant_id"),
                SyncMode.fromJson(rs.getString("mode")).orElseThrow(),
                List.of((String[]) rs.getArray("resources").getArray()), (Integer) rs.getObject("limit_users"),
                rs.getString("trigger"), rs.getLong("epoch"), rs.getString("state"), instant(rs, "started_at"),
                instant(rs, "finished_at"), instant(rs, "updated_at"), rs.getLong("pages"), counts,
                rs.getString("error"), List.of((String[]) rs.getArray("notes").getArray()));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
