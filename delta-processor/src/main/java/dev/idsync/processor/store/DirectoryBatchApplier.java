package dev.idsync.processor.store;

import dev.idsync.events.EventJson;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunFailed;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.processor.rules.TenantRuleBook;
import dev.idsync.processor.rules.TenantRules;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies one poll batch of directory events to the store in one transaction, with one batched
 * statement per kind of change instead of a round trip per record.
 *
 * <p>Idempotent and stale-proof: an observation older than the stored one never overwrites it (the
 * {@code where} on {@code observed_at}), one of the same age only if it says something new for an
 * active object (Graph's {@code Date} has whole seconds); removed memberships stay as tombstones and
 * deletions are unique per run and object, so replaying any part of the topics changes no row.
 */
@ApplicationScoped
public class DirectoryBatchApplier {

    private static final String UPSERT_OBJECT = """
            insert into objects as o (tenant_id, object_id, kind, attributes, state, removal_reason, observed_at,
                                      run_id, epoch, placeholder)
            values (?, ?, ?, ?::jsonb, 'active', null, ?, ?, ?, false)
            on conflict (tenant_id, object_id) do update set
                kind = excluded.kind,
                attributes = o.attributes || excluded.attributes,
                state = 'active',
                removal_reason = null,
                observed_at = excluded.observed_at,
                run_id = excluded.run_id,
                -- the newest epoch it was seen in: a profile-writer confirmation (epoch 0) during a full
                -- sync must not make the sweep take the user for unseen
                epoch = greatest(o.epoch, excluded.epoch),
                placeholder = false,
                updated_at = now()
            where o.observed_at < excluded.observed_at
               or (o.observed_at = excluded.observed_at and o.state = 'active'
                   and o.attributes || excluded.attributes <> o.attributes)
            """;

    // A member (or container) seen before its own object: id and type only, flagged, and older than any
    // real observation, so the object's own event fills it.
    private static final String PLACEHOLDER = """
            insert into objects (tenant_id, object_id, kind, observed_at, placeholder)
            values (?, ?, ?, '-infinity', true)
            on conflict (tenant_id, object_id) do nothing
            """;

    private static final String UPSERT_MEMBERSHIP = """
            insert into memberships as m (tenant_id, container_id, member_id, container_kind, member_type, present,
                                          observed_at, run_id, epoch)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (tenant_id, container_id, member_id) do update set
                member_type = excluded.member_type,
                present = excluded.present,
                observed_at = excluded.observed_at,
                run_id = excluded.run_id,
                epoch = excluded.epoch,
                updated_at = now()
            where m.observed_at < excluded.observed_at
            """;

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
    private final TenantRuleBook rules;
    private final DeletionGate gate;

    DirectoryBatchApplier(AgroalDataSource dataSource, TenantRuleBook rules, DeletionGate gate) {
        this.dataSource = dataSource;
        this.rules = rules;
        this.gate = gate;
    }

    /** Applies the batch; returns how many row changes it folded to. */
    public int apply(List<SyncEvent> events) {
        FoldedBatch batch = FoldedBatch.of(events);
        if (batch.applied() == 0) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                scopeUsers(connection, batch);
                upsertObjects(connection, batch.upserts.values());
                applyMemberships(connection, batch.memberships.values());
                Set<DeletionGate.RunKey> touched = gate.stage(connection, batch.removals);
                for (SyncEvent run : batch.runEvents) {
                    recordRun(connection, run, touched);
                }
                for (DeletionGate.RunKey run : touched) {
                    gate.decide(connection, run);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not apply a batch of " + events.size() + " events", e);
        }
        return batch.applied();
    }

    /**
     * Scoping filters and field mapping (reference 001) for user upserts. A user outside the filters is
     * not stored; if the store holds it, it becomes an out-of-scope removal (through the gate, like any
     * deletion). Filters judge everything known of the user: the stored attributes merged with the new.
     */
    private void scopeUsers(Connection connection, FoldedBatch batch) throws SQLException {
        Map<String, List<FoldedBatch.Upsert>> usersByTenant = new LinkedHashMap<>();
        for (FoldedBatch.Upsert upsert : batch.upserts.values()) {
            if (upsert.kind == ObjectKind.USER) {
                usersByTenant.computeIfAbsent(upsert.tenantId, t -> new ArrayList<>()).add(upsert);
            }
        }
        for (Map.Entry<String, List<FoldedBatch.Upsert>> tenant : usersByTenant.entrySet()) {
            TenantRules tenantRules = rules.of(tenant.getKey());
            Map<String, Map<String, Object>> stored = tenantRules.hasFilters()
                    ? storedAttributes(connection, tenant.getKey(), tenant.getValue())
                    : Map.of();
            for (FoldedBatch.Upsert user : tenant.getValue()) {
                if (tenantRules.hasFilters()) {
                    Map<String, Object> known = new HashMap<>(stored.getOrDefault(user.objectId, Map.of()));
                    known.putAll(user.attributes);
                    if (!tenantRules.inScope(user.objectId, known)) {
                        batch.upserts.remove(user.tenantId + ":" + user.objectId);
                        batch.removals.add(new FoldedBatch.Removal(user.tenantId, user.runId, user.objectId,
                                ObjectKind.USER, RemovalReason.OUT_OF_SCOPE.json(), user.observedAt, user.epoch));
                        continue;
                    }
                }
                Map<String, Object> local = tenantRules.toLocal(user.attributes);
                user.attributes.clear();
                user.attributes.putAll(local);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> storedAttributes(Connection connection, String tenantId,
            List<FoldedBatch.Upsert> users) throws SQLException {
        Map<String, Map<String, Object>> stored = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "select object_id, attributes::text from objects where tenant_id = ? and object_id = any(?)")) {
            query.setString(1, tenantId);
            query.setArray(2, connection.createArrayOf("text", users.stream().map(u -> u.objectId).toArray()));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getString(1), EventJson.mapper().readValue(rs.getString(2), Map.class));
                }
            } catch (IOException e) {
                throw new IllegalStateException("stored attributes are not JSON", e);
            }
        }
        return stored;
    }

    private static void upsertObjects(Connection connection, Iterable<FoldedBatch.Upsert> upserts) throws SQLException {
        Iterator<FoldedBatch.Upsert> it = upserts.iterator();
        if (!it.hasNext()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_OBJECT)) {
            while (it.hasNext()) {
                FoldedBatch.Upsert object = it.next();
                upsert.setString(1, object.tenantId);
                upsert.setString(2, object.objectId);
                upsert.setString(3, object.kind.dbValue());
                upsert.setString(4, EventJson.mapper().valueToTree(object.attributes).toString());
                upsert.setTimestamp(5, Timestamp.from(object.observedAt));
                upsert.setString(6, object.runId);
                upsert.setLong(7, object.epoch);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static void applyMemberships(Connection connection, Iterable<FoldedBatch.MembershipChange> changes)
            throws SQLException {
        Iterator<FoldedBatch.MembershipChange> it = changes.iterator();
        if (!it.hasNext()) {
            return;
        }
        Set<List<String>> referenced = new LinkedHashSet<>();
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_MEMBERSHIP)) {
            while (it.hasNext()) {
                FoldedBatch.MembershipChange m = it.next();
                upsert.setString(1, m.tenantId());
                upsert.setString(2, m.containerId());
                upsert.setString(3, m.memberId());
                upsert.setString(4, m.containerKind().dbValue());
                upsert.setString(5, m.memberType().dbValue());
                upsert.setBoolean(6, m.present());
                upsert.setTimestamp(7, Timestamp.from(m.observedAt()));
                upsert.setString(8, m.runId());
                upsert.setLong(9, m.epoch());
                upsert.addBatch();
                referenced.add(List.of(m.tenantId(), m.containerId(), m.containerKind().dbValue()));
                if (m.present()) {
                    referenced.add(List.of(m.tenantId(), m.memberId(), m.memberType().dbValue()));
                }
            }
            upsert.executeBatch();
        }
        try (PreparedStatement placeholder = connection.prepareStatement(PLACEHOLDER)) {
            for (List<String> ref : referenced) {
                placeholder.setString(1, ref.get(0));
                placeholder.setString(2, ref.get(1));
                placeholder.setString(3, ref.get(2));
                placeholder.addBatch();
            }
            placeholder.executeBatch();
        }
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
