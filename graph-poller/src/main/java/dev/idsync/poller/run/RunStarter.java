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

    RunStarter(AgroalDataSource dataSource, SyncRunLedger ledger) {
        this.dataSource = dataSource;
        this.ledger = ledger;
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
        Connection session = null;
        try {
            session = dataSource.getConnection();
            session.setAutoCommit(false);
            lock(session, "select pg_advisory_xact_lock(hashtextextended(?, 0))", "idsync-poller-start:" + request.tenantId());
            for (String resource : request.resources()) {
                String key = "idsync-poller:" + request.tenantId() + ":" + resource + (request.dryRun() ? ":dryRun" : "");
                if (!lock(session, "select pg_try_advisory_lock(hashtextextended(?, 0))", key)) {
                    Optional<String> active = ledger.activeRunId(session, request.tenantId(), request.resources(),
                            request.dryRun());
                    session.rollback();
                    new RunLease(session).close();
                    session = null;
                    return new Busy(active);
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
            session.commit();
            session.setAutoCommit(true);
            return new Started(run, new RunLease(session));
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
