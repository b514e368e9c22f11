package dev.idsync.poller.run;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The durable state of each tenant's scheduled full sync ({@code poller.full_sync_schedule}): when its
 * last complete full sync started, when the last scheduled attempt started. Due-ness is decided here, with
 * the database's clock and inside the start transaction of {@link RunStarter} (under the tenant's start
 * lock), so several poller instances and a restart all see the same answer: a full sync is neither run
 * twice nor skipped.
 */
@ApplicationScoped
public class FullSyncSchedule {

    /** What the table says about a tenant; {@code nextDueAt} as the policy computes it. */
    public record Status(String tenantId, Instant baselineAt, Optional<Instant> lastFullSyncAt,
                         Optional<String> lastFullRunId, Optional<Instant> lastAttemptAt, Instant nextDueAt) {
    }

    private final AgroalDataSource dataSource;

    FullSyncSchedule(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Whether the tenant's full sync is due now. A tenant seen for the first time gets its baseline (now), so
     * its first full sync is due one interval after the poller first scheduled it, not at once: its first
     * delta run is an initial read of everything anyway.
     */
    boolean isDue(Connection c, String tenantId, FullSyncPolicy policy) throws SQLException {
        ensureRow(c, tenantId);
        try (PreparedStatement q = c.prepareStatement("""
                select coalesce(last_full_sync_at, baseline_at) + make_interval(secs => ?) <= now()
                   and (last_attempt_at is null
                        or last_attempt_at <= coalesce(last_full_sync_at, baseline_at)
                        or last_attempt_at + make_interval(secs => ?) <= now())
                from full_sync_schedule where tenant_id = ?""")) {
            q.setDouble(1, seconds(policy.every()));
            q.setDouble(2, seconds(policy.retryAfter()));
            q.setString(3, tenantId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** A scheduled full run started (same transaction as its run row, so its start time is the row's). */
    void attempted(Connection c, String tenantId, String runId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                update full_sync_schedule
                set last_attempt_at = (select started_at from sync_runs where run_id = ?), last_attempt_run_id = ?
                where tenant_id = ?""")) {
            q.setString(1, runId);
            q.setString(2, runId);
            q.setString(3, tenantId);
            q.executeUpdate();
        }
    }

    /**
     * A full run of every resource of its tenant completed: the tenant's last full sync is as of the run's
     * start (what changed after it is the next one's business). Admin-started full runs count too.
     */
    void completed(Connection c, String runId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                insert into full_sync_schedule as s (tenant_id, baseline_at, last_full_sync_at, last_full_run_id)
                select tenant_id, started_at, started_at, run_id from sync_runs where run_id = ? and mode = 'full'
                on conflict (tenant_id) do update
                    set last_full_sync_at = excluded.last_full_sync_at, last_full_run_id = excluded.last_full_run_id
                    where s.last_full_sync_at is null or s.last_full_sync_at < excluded.last_full_sync_at""")) {
            q.setString(1, runId);
            q.executeUpdate();
        }
    }

    /** The tenant's schedule, if the poller has scheduled it yet. */
    public Optional<Status> status(String tenantId, FullSyncPolicy policy) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement("""
                select baseline_at, last_full_sync_at, last_full_run_id, last_attempt_at,
                       greatest(coalesce(last_full_sync_at, baseline_at) + make_interval(secs => ?),
                                case when last_attempt_at > coalesce(last_full_sync_at, baseline_at)
                                     then last_attempt_at + make_interval(secs => ?) end) as next_due_at
                from full_sync_schedule where tenant_id = ?""")) {
            q.setDouble(1, seconds(policy.every()));
            q.setDouble(2, seconds(policy.retryAfter()));
            q.setString(3, tenantId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Status(tenantId, instant(rs, "baseline_at"),
                        Optional.ofNullable(instant(rs, "last_full_sync_at")),
                        Optional.ofNullable(rs.getString("last_full_run_id")),
                        Optional.ofNullable(instant(rs, "last_attempt_at")), instant(rs, "next_due_at")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the full sync schedule of " + tenantId, e);
        }
    }

    private static void ensureRow(Connection c, String tenantId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "insert into full_sync_schedule (tenant_id) values (?) on conflict (tenant_id) do nothing")) {
            q.setString(1, tenantId);
            q.executeUpdate();
        }
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
