package dev.idsync.processor.store;

import dev.idsync.events.EventJson;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunFailed;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.processor.outbox.OutboxWriter;
import dev.idsync.processor.rules.TenantRuleBook;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies one poll batch of Graph observations to the store in one transaction, and appends what it
 * decided to the outbox in that same transaction (docs/DESIGN.md invariant 11): objects merged
 * ({@link ObjectUpserts}), memberships ({@link MembershipChanges}), removals staged and decided by the
 * {@link DeletionGate}, run markers recorded (a completed run's sweep staged). Every stage reads and writes
 * set-based, never a round trip per record.
 *
 * <p>Idempotent and stale-proof: an observation older than the stored one never overwrites it, one of the
 * same age only if it says something new for an active object (Graph's {@code Date} has whole seconds);
 * removed memberships stay as tombstones and deletions are unique per run and object, so replaying any part
 * of the topic changes no row and decides nothing new.
 *
 * <p>The batch holds each of its tenants' gate lock for the transaction: the consumer decides on rows it
 * read, and an admin's approval of the same tenant must not change them in between.
 */
@ApplicationScoped
public class DirectoryBatchApplier {

    private static final String RECORD_RUN_STARTED = """
            insert into sync_runs (tenant_id, run_id, mode, resources, epoch, status, started_at, counts)
            values (?, ?, ?, ?, ?, 'started', ?, ?::jsonb)
            on conflict (tenant_id, run_id) do nothing
            """;

    // Only the first completion or failure of a run counts: a replayed one changes nothing.
    private static final String RECORD_RUN_FINISHED = """
            insert into sync_runs as r (tenant_id, run_id, mode, resources, epoch, status, finished_at, counts,
                                        swept_resources)
            values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
            on conflict (tenant_id, run_id) do update set
                mode = excluded.mode, resources = excluded.resources, epoch = excluded.epoch,
                status = excluded.status, finished_at = excluded.finished_at, counts = excluded.counts,
                swept_resources = excluded.swept_resources, updated_at = now()
            where r.status = 'started'
            """;

    private final AgroalDataSource dataSource;
    private final ObjectUpserts objects;
    private final DeletionGate gate;

    DirectoryBatchApplier(AgroalDataSource dataSource, TenantRuleBook rules, DeletionGate gate) {
        this.dataSource = dataSource;
        this.objects = new ObjectUpserts(rules);
        this.gate = gate;
    }

    /** What a batch came to: row changes folded, and events decided (now in the outbox). */
    public record Applied(int folded, int decided) {
    }

    /** Applies the batch and appends its decisions to the outbox, in one transaction. */
    public Applied apply(List<SyncEvent> events) {
        FoldedBatch batch = FoldedBatch.of(events);
        if (batch.applied() == 0) {
            return new Applied(0, 0);
        }
        Decided decided = new Decided();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (String tenant : batch.tenants()) {
                    DeletionGate.lockTenant(connection, tenant);
                }
                objects.apply(connection, batch, decided);
                MembershipChanges.apply(connection, batch.memberships.values(), decided);
                Set<DeletionGate.RunKey> touched = gate.stage(connection, batch.removals);
                for (SyncEvent run : batch.runEvents) {
                    recordRun(connection, run, touched);
                }
                for (DeletionGate.RunKey run : touched) {
                    gate.decide(connection, run, decided);
                }
                OutboxWriter.append(connection, decided.events());
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not apply a batch of " + events.size() + " events", e);
        }
        return new Applied(batch.applied(), decided.events().size());
    }

    private void recordRun(Connection connection, SyncEvent event, Set<DeletionGate.RunKey> touched)
            throws SQLException {
        SyncRun run = switch (event) {
            case SyncRunStarted e -> e.data();
            case SyncRunCompleted e -> e.data();
            case SyncRunFailed e -> e.data();
            default -> throw new IllegalArgumentException("not a run event: " + event.ceType());
        };
        boolean started = event instanceof SyncRunStarted;
        try (PreparedStatement record = connection.prepareStatement(started ? RECORD_RUN_STARTED : RECORD_RUN_FINISHED)) {
            int i = 1;
            record.setString(i++, event.tenantId());
            record.setString(i++, event.runId() != null ? event.runId() : event.objectId());
            record.setString(i++, run.mode().json());
            record.setArray(i++, connection.createArrayOf("text", run.resources().toArray()));
            record.setLong(i++, event.epoch());
            if (!started) {
                record.setString(i++, event instanceof SyncRunCompleted ? "completed" : "failed");
            }
            record.setTimestamp(i++, Timestamp.from(event.observedAt()));
            record.setString(i++, EventJson.mapper().valueToTree(run.counts()).toString());
            if (!started) {
                Optional<Set<String>> swept = swept(event, run);
                if (swept.isPresent()) {
                    record.setArray(i, connection.createArrayOf("text", swept.get().toArray()));
                } else {
                    record.setNull(i, Types.ARRAY);
                }
            }
            if (record.executeUpdate() == 0 || started) {
                return;
            }
        }
        DeletionGate.RunKey key = new DeletionGate.RunKey(event.tenantId(),
                event.runId() != null ? event.runId() : event.objectId());
        Optional<Set<String>> swept = swept(event, run);
        if (swept.isPresent()) {
            gate.stageSweep(connection, key, event.epoch(), event.observedAt(), swept.get());
        }
        touched.add(key);
    }

    /**
     * The resources whose objects not seen in the run's epoch are gone: every resource of a completed full
     * run, and those a completed delta run read in an initial round (a resync after an expired delta token,
     * which reports no deletions). Empty for a full run that names no resources: all of them; absent when
     * the run sweeps nothing.
     */
    private static Optional<Set<String>> swept(SyncEvent event, SyncRun run) {
        if (!(event instanceof SyncRunCompleted)) {
            return Optional.empty();
        }
        if (run.mode() == SyncMode.FULL) {
            return Optional.of(Set.copyOf(run.resources()));
        }
        return run.initialRounds().isEmpty() ? Optional.empty() : Optional.of(Set.copyOf(run.initialRounds()));
    }
}
