package dev.idsync.poller.run;

import dev.idsync.events.SyncMode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The poller's record of its runs ({@code poller.sync_runs}). */
@ApplicationScoped
public class SyncRunLedger {

    private final AgroalDataSource dataSource;

    SyncRunLedger(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The epoch a new run of the tenant belongs to: a full sync opens the next epoch (so the processor
     * can sweep objects it did not see again), any other run stays in the current one.
     */
    public long epochFor(String tenantId, SyncMode mode) {
        String sql = "select coalesce(max(epoch), 0) from sync_runs where tenant_id = ? and mode <> 'dryRun'";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, tenantId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                long current = rs.getLong(1);
                return mode == SyncMode.FULL ? current + 1 : current;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the epoch of tenant " + tenantId, e);
        }
    }

    public void recordStarted(SyncRunRecord run) {
        String sql = """
                insert into sync_runs (run_id, tenant_id, mode, resources, epoch, state)
                values (?, ?, ?, ?, ?, 'running')""";
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            Array resources = c.createArrayOf("text", run.resources().toArray());
            insert.setString(1, run.runId());
            insert.setString(2, run.tenantId());
            insert.setString(3, run.mode().json());
            insert.setArray(4, resources);
            insert.setLong(5, run.epoch());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record run " + run.runId(), e);
        }
    }

    public Optional<SyncRunRecord> find(String runId) {
        String sql = "select run_id, tenant_id, mode, resources, epoch, state from sync_runs where run_id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SyncRunRecord(rs.getString("run_id"), rs.getString("tenant_id"),
                        SyncMode.fromJson(rs.getString("mode")).orElseThrow(),
                        List.of((String[]) rs.getArray("resources").getArray()), rs.getLong("epoch"),
                        rs.getString("state")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read run " + runId, e);
        }
    }
}
