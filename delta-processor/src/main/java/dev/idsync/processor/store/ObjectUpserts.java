package dev.idsync.processor.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.idsync.events.EventJson;
import dev.idsync.events.RemovalReason;
import dev.idsync.processor.rules.TenantRuleBook;
import dev.idsync.processor.rules.TenantRules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges a batch's object observations into the store and says what changed (docs/DESIGN.md invariants
 * 4, 12 and 13). The stored rows of the batch's objects are read in one query, each object's observations
 * are merged in Java in arrival order, and the results are written with one batched statement per kind of
 * write: no round trip per record.
 *
 * <ul>
 *   <li><b>Absent is not null</b>: an observation carries exactly what Graph sent; the merge keeps stored
 *       attributes it does not carry, and an explicit {@code null} clears (stored as null).</li>
 *   <li><b>Stale-proof</b>: an observation older than the stored one changes no attribute; one of the same
 *       age only if it adds something to an active object (Graph's {@code Date} has whole seconds).</li>
 *   <li><b>Seen is seen</b>: the stored epoch becomes the greatest of the stored and every observation's,
 *       also when the observation was too old to change anything, so a sweep never stages an object its
 *       own run saw (a profile-writer confirmation has epoch 0 and never lowers it).</li>
 *   <li>Users get the tenant's field and org-unit mapping (local names); the scoping filters judge the
 *       merged object. One out of scope is not stored; if the store holds it, it becomes an out-of-scope
 *       removal through the gate.</li>
 *   <li>What changed (a new object, other attributes, or active again after a removal) is decided as
 *       {@code *.upserted} with the full stored object; a newer observation that changes nothing
 *       publishes nothing.</li>
 * </ul>
 */
final class ObjectUpserts {

    private static final TypeReference<LinkedHashMap<String, Object>> ATTRIBUTES = new TypeReference<>() { };

    private static final String LOAD = """
            select object_id, attributes::text, state, case when placeholder then null else observed_at end,
                   epoch, placeholder
            from objects where tenant_id = ? and object_id = any(?)
            """;

    // One statement per batch with the rows bound as arrays (see MembershipChanges.WRITE); each object
    // is once in a batch (FoldedBatch folds per object).
    private static final String WRITE = """
            insert into objects as o (tenant_id, object_id, kind, attributes, state, removal_reason, observed_at,
                                      run_id, epoch, placeholder)
            select w.t, w.id, w.k, w.a::jsonb, 'active', null, w.at, w.r, w.e, false
            from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::bigint[])
                 as w(t, id, k, a, at, r, e)
            on conflict (tenant_id, object_id) do update set
                kind = excluded.kind, attributes = excluded.attributes, state = 'active', removal_reason = null,
                observed_at = excluded.observed_at, run_id = excluded.run_id, epoch = excluded.epoch,
                placeholder = false, updated_at = now()
            """;

    private static final String SEEN_IN_EPOCH = """
            update objects set epoch = ?, updated_at = now() where tenant_id = ? and object_id = ? and epoch < ?
            """;

    /** An object as stored; {@code observedAt} null for a placeholder (any real observation is newer). */
    private record Stored(Map<String, Object> attributes, String state, Instant observedAt, long epoch,
            boolean placeholder) {
    }

    private record Write(FoldedBatch.Upsert object, String attributesJson, FoldedBatch.Observation decidedBy,
            long epoch) {
    }

    private record EpochSeen(String tenantId, String objectId, long epoch) {
    }

    private final TenantRuleBook rules;

    ObjectUpserts(TenantRuleBook rules) {
        this.rules = rules;
    }

    /** Merges and writes the batch's upserts; out-of-scope users are added to {@code batch.removals}. */
    void apply(Connection connection, FoldedBatch batch, Decided decided) throws SQLException {
        Map<String, List<FoldedBatch.Upsert>> byTenant = new LinkedHashMap<>();
        for (FoldedBatch.Upsert upsert : batch.upserts.values()) {
            byTenant.computeIfAbsent(upsert.tenantId, t -> new ArrayList<>()).add(upsert);
        }
        List<Write> writes = new ArrayList<>();
        List<EpochSeen> seen = new ArrayList<>();
        for (Map.Entry<String, List<FoldedBatch.Upsert>> tenant : byTenant.entrySet()) {
            TenantRules tenantRules = rules.of(tenant.getKey());
            Map<String, Stored> stored = load(connection, tenant.getKey(), tenant.getValue());
            for (FoldedBatch.Upsert upsert : tenant.getValue()) {
                merge(upsert, stored.get(upsert.objectId), tenantRules, batch, writes, seen, decided);
            }
        }
        write(connection, writes);
        markSeen(connection, seen);
    }

    private static void merge(FoldedBatch.Upsert upsert, Stored stored, TenantRules tenantRules, FoldedBatch batch,
            List<Write> writes, List<EpochSeen> seen, Decided decided) {
        boolean user = upsert.kind == ObjectKind.USER;
        Map<String, Object> merged = stored == null ? new LinkedHashMap<>() : new LinkedHashMap<>(stored.attributes);
        boolean active = stored != null && !stored.placeholder && stored.state.equals(ObjectState.ACTIVE.dbValue());
        Instant at = stored == null ? null : stored.observedAt;
        long storedEpoch = stored == null ? 0 : stored.epoch;
        long epoch = storedEpoch;
        FoldedBatch.Observation applied = null;
        for (FoldedBatch.Observation observation : upsert.observations) {
            epoch = Math.max(epoch, observation.epoch());
            Map<String, Object> local = user ? tenantRules.toLocal(observation.attributes()) : observation.attributes();
            boolean newer = at == null || observation.observedAt().isAfter(at);
            boolean sameAgeAddingToActive = !newer && observation.observedAt().equals(at) && active
                    && addsSomething(merged, local);
            if (newer || sameAgeAddingToActive) {
                merged.putAll(local);
                at = observation.observedAt();
                active = true;
                applied = observation;
            }
        }
        if (applied != null && user && tenantRules.hasFilters() && !tenantRules.inScope(upsert.objectId, merged)) {
            batch.removals.add(new FoldedBatch.Removal(upsert.tenantId, applied.runId(), upsert.objectId,
                    ObjectKind.USER, RemovalReason.OUT_OF_SCOPE.json(), applied.observedAt(), applied.epoch()));
            applied = null; // not stored; the gate removes it if the store holds it
        }
        if (applied == null) {
            if (stored != null && epoch > storedEpoch) {
                seen.add(new EpochSeen(upsert.tenantId, upsert.objectId, epoch));
            }
            return;
        }
        writes.add(new Write(upsert, json(merged), applied, epoch));
        boolean changed = stored == null || stored.placeholder
                || !stored.state.equals(ObjectState.ACTIVE.dbValue()) || !merged.equals(stored.attributes);
        if (changed) {
            decided.upserted(upsert.kind, upsert.tenantId, upsert.objectId, applied.runId(), applied.epoch(),
                    applied.observedAt(), merged);
        }
    }

    private static boolean addsSomething(Map<String, Object> stored, Map<String, Object> observed) {
        for (Map.Entry<String, Object> attribute : observed.entrySet()) {
            if (!stored.containsKey(attribute.getKey())
                    || !Objects.equals(stored.get(attribute.getKey()), attribute.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Stored> load(Connection connection, String tenantId, List<FoldedBatch.Upsert> upserts)
            throws SQLException {
        Map<String, Stored> stored = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(LOAD)) {
            query.setString(1, tenantId);
            query.setArray(2, connection.createArrayOf("text", upserts.stream().map(u -> u.objectId).toArray()));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    Timestamp observed = rs.getTimestamp(4);
                    stored.put(rs.getString(1), new Stored(parse(rs.getString(2)), rs.getString(3),
                            observed == null ? null : observed.toInstant(), rs.getLong(5), rs.getBoolean(6)));
                }
            }
        }
        return stored;
    }

    private static void write(Connection connection, List<Write> writes) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        int n = writes.size();
        String[] tenants = new String[n];
        String[] ids = new String[n];
        String[] kinds = new String[n];
        String[] attributes = new String[n];
        String[] observedAt = new String[n];
        String[] runIds = new String[n];
        Long[] epochs = new Long[n];
        for (int i = 0; i < n; i++) {
            Write w = writes.get(i);
            tenants[i] = w.object.tenantId;
            ids[i] = w.object.objectId;
            kinds[i] = w.object.kind.dbValue();
            attributes[i] = w.attributesJson;
            observedAt[i] = w.decidedBy.observedAt().toString();
            runIds[i] = w.decidedBy.runId();
            epochs[i] = w.epoch;
        }
        try (PreparedStatement upsert = connection.prepareStatement(WRITE)) {
            upsert.setArray(1, connection.createArrayOf("text", tenants));
            upsert.setArray(2, connection.createArrayOf("text", ids));
            upsert.setArray(3, connection.createArrayOf("text", kinds));
            upsert.setArray(4, connection.createArrayOf("text", attributes));
            upsert.setArray(5, connection.createArrayOf("text", observedAt));
            upsert.setArray(6, connection.createArrayOf("text", runIds));
            upsert.setArray(7, connection.createArrayOf("int8", epochs));
            upsert.executeUpdate();
        }
    }

    private static void markSeen(Connection connection, List<EpochSeen> seen) throws SQLException {
        if (seen.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(SEEN_IN_EPOCH)) {
            for (EpochSeen s : seen) {
                update.setLong(1, s.epoch);
                update.setString(2, s.tenantId);
                update.setString(3, s.objectId);
                update.setLong(4, s.epoch);
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return EventJson.mapper().readValue(json, ATTRIBUTES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attributes are not a JSON object", e);
        }
    }

    private static String json(Map<String, Object> attributes) {
        try {
            return EventJson.mapper().writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("attributes cannot be written as JSON", e);
        }
    }
}
