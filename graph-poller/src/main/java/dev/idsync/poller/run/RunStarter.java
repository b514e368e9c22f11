package dev.idsync.poller.run;

import dev.idsync.events.SyncMode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts a run only if no other run of the same tenant and resource is active on any poller instance
 * (DESIGN.md invariant 5): one PostgreSQL session-level advisory lock per tenant and resource, held by the
 * run's own database session until it ends.
 *
 * <p>Taking the locks and recording the run happen under a transaction-level lock per tenant, so a
 * competing start waits until the winner's run row is committed and can then name it in its 409.
 * Dry runs write no state, so they lock apart from real runs: a dry run never delays a delta run.
 */
@ApplicationScoped
public class RunStarter {

    private final AgroalDataSource dataSource;
    private final SyncRunLedger ledger;
    private final FullSyncSchedule fullSyncs;

    RunStarter(AgroalDataSource dataSource, SyncRunLedger ledger, FullSyncSchedule fullSyncs) {
        this.dataSource = dataSource;
        this.ledger = ledger;
        this.fullSyncs = fullSyncs;
    }

    public sealed interface Outcome permits Started, Busy {
    }

    /** The run is recorded as running; its lease must be closed when it ends. */
    public record Started(SyncRunRecord run, RunLease lease) implements Outcome {
    }

    /** Another run holds a resource; {@code activeRunId} is empty only if its row could not be read. */
    public record Busy(Optional<String> activeRunId) implements Outcome {
    }

    public Outcome tryStart(RunRequest request) {
        return tryStart(request, null).orElseThrow();
    }

    /**
     * A scheduled full run, started only if the tenant's full sync is due ({@link FullSyncSchedule}). The
     * question is asked under the tenant's start lock and recorded with the run row in one transaction, so
     * of several instances (and schedulers) asking at once exactly one starts it; the others find it not
     * due any more, or the tenant busy.
     *
     * @return empty when the full sync is not due; else {@link Started}, or {@link Busy} when a run of the
     *         tenant is active (the full sync stays due and starts when asked again after that run)
     */
    public Optional<Outcome> tryStartIfDue(RunRequest request, FullSyncPolicy policy) {
        if (request.mode() != SyncMode.FULL) {
            throw new IllegalArgumentException("only a full run is started when due, not " + request.mode().json());
        }
        return tryStart(request, policy);
    }

    private Optional<Outcome> tryStart(RunRequest request, FullSyncPolicy dueOnly) {
        Connection session = null;
        try {
            session = dataSource.getConnection();
            session.setAutoCommit(false);
            lock(session, "select pg_advisory_xact_lock(hashtextextended(?, 0))", "idsync-poller-start:" + request.tenantId());
            if (dueOnly != null && !fullSyncs.isDue(session, request.tenantId(), dueOnly)) {
                session.commit();
                new RunLease(session).close();
                session = null;
                return Optional.empty();
            }
            for (String resource : request.resources()) {
                String key = "idsync-poller:" + request.tenantId() + ":" + resource + (request.dryRun() ? ":dryRun" : "");
                if (!lock(session, "select pg_try_advisory_lock(hashtextextended(?, 0))", key)) {
                    Optional<String> active = ledger.activeRunId(session, request.tenantId(), request.resources(),
                            request.dryRun());
                    session.rollback();
                    new RunLease(session).close();
                    session = null;
                    return Optional.of(new Busy(active));
                }
            }
            ledger.closeAbandoned(session, request.tenantId(), request.resources(), request.dryRun());
            long epoch = request.mode() == SyncMode.FULL
                    ? ledger.nextEpoch(session, request.tenantId())
                    : ledger.currentEpoch(session, request.tenantId());
            SyncRunRecord run = new SyncRunRecord(UUID.randomUUID().toString(), request.tenantId(), request.mode(),
                    request.resources(), request.limitUsers(), request.trigger(), epoch, "running", null, null, null,
                    0, null, null, null);
            ledger.insert(session, run);
            if (dueOnly != null) {
                fullSyncs.attempted(session, request.tenantId(), run.runId());
            }
            session.commit();
            session.setAutoCommit(true);
            return Optional.of(new Started(run, new RunLease(session)));
        } catch (SQLException e) {
            if (session != null) {
                try {
                    session.rollback();
                } catch (SQLException ignored) {
                    // the lease below closes the session anyway
                }
                new RunLease(session).close();
            }
            throw new IllegalStateException("could not start a run of tenant " + request.tenantId() + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean lock(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, key);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                Object result = rs.getObject(1);
                return !(result instanceof Boolean b) || b;
            }
        }
    }
}
