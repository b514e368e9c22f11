package dev.idsync.processor.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a batch's membership observations: the stored rows are read in one query per tenant, each
 * membership is decided in Java and written with one batched upsert. A membership observed by a newer
 * observation takes its state; an older one only records that the membership was seen in its epoch
 * (docs/DESIGN.md invariant 12). Removed memberships stay as tombstones ({@code present = false}) carrying
 * the removing observation, so replaying an older "added" cannot bring them back. Whenever {@code present}
 * changes (a first sighting as present included) the change is decided as {@code membership.added/removed}
 * (or a directory role's member-added/removed). A member or container not stored yet gets a placeholder.
 */
final class MembershipChanges {

    private static final String LOAD = """
            select m.container_id, m.member_id, m.member_type, m.present, m.observed_at, m.run_id, m.epoch
            from memberships m join unnest(?::text[], ?::text[]) as k(container_id, member_id)
                 on m.container_id = k.container_id and m.member_id = k.member_id
            where m.tenant_id = ?
            """;

    // One statement per batch, the rows bound as arrays (not pgjdbc's rewritten multi-row VALUES, which
    // splits a batch into many statements): one parse, one plan, one round trip. A batch holds each
    // membership once (FoldedBatch folds per key), as ON CONFLICT DO UPDATE needs.
    private static final String WRITE = """
            insert into memberships as m (tenant_id, container_id, member_id, container_kind, member_type, present,
                                          observed_at, run_id, epoch)
            select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[],
                                 ?::timestamptz[], ?::text[], ?::bigint[])
            on conflict (tenant_id, container_id, member_id) do update set
                member_type = excluded.member_type, present = excluded.present, observed_at = excluded.observed_at,
                run_id = excluded.run_id, epoch = excluded.epoch, updated_at = now()
            """;

    // A member (or container) seen before its own object: id and type only, flagged, and older than any
    // real observation, so the object's own event fills it. Not published (CONTRACT.md).
    // One statement for all of a batch's references (bulk placeholders); most exist already and are
    // skipped by the conflict clause, a repeated reference too.
    private static final String PLACEHOLDER = """
            insert into objects (tenant_id, object_id, kind, observed_at, placeholder)
            select t, o, k, '-infinity', true from unnest(?::text[], ?::text[], ?::text[]) as p(t, o, k)
            on conflict (tenant_id, object_id) do nothing
            """;

    private record Stored(String memberType, boolean present, Instant observedAt, String runId, long epoch) {
    }

    private record Row(FoldedBatch.MembershipChange change, String memberType, boolean present, Instant observedAt,
            String runId, long epoch) {
    }

    private MembershipChanges() {
    }

    static void apply(Connection connection, Collection<FoldedBatch.MembershipChange> changes, Decided decided)
            throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        Map<String, List<FoldedBatch.MembershipChange>> byTenant = new LinkedHashMap<>();
        for (FoldedBatch.MembershipChange m : changes) {
            byTenant.computeIfAbsent(m.tenantId(), t -> new ArrayList<>()).add(m);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<FoldedBatch.MembershipChange>> tenant : byTenant.entrySet()) {
            Map<List<String>, Stored> stored = load(connection, tenant.getKey(), tenant.getValue());
            for (FoldedBatch.MembershipChange m : tenant.getValue()) {
                decide(m, stored.get(List.of(m.containerId(), m.memberId())), rows, decided);
            }
        }
        write(connection, rows);
        placeholders(connection, changes);
    }

    private static void decide(FoldedBatch.MembershipChange m, Stored stored, List<Row> rows, Decided decided) {
        if (stored == null || m.observedAt().isAfter(stored.observedAt)) {
            long epoch = stored == null ? m.seenEpoch() : Math.max(stored.epoch, m.seenEpoch());
            rows.add(new Row(m, m.memberType().dbValue(), m.present(), m.observedAt(), m.runId(), epoch));
            boolean wasPresent = stored != null && stored.present;
            if (m.present() != wasPresent) {
                decided.membership(m.containerKind(), m.present(), m.tenantId(), m.containerId(), m.memberId(),
                        m.memberType(), m.runId(), m.epoch(), m.observedAt());
            }
        } else if (m.seenEpoch() > stored.epoch) {
            rows.add(new Row(m, stored.memberType, stored.present, stored.observedAt, stored.runId, m.seenEpoch()));
        }
    }

    private static Map<List<String>, Stored> load(Connection connection, String tenantId,
            List<FoldedBatch.MembershipChange> changes) throws SQLException {
        Map<List<String>, Stored> stored = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(LOAD)) {
            query.setArray(1, connection.createArrayOf("text",
                    changes.stream().map(FoldedBatch.MembershipChange::containerId).toArray()));
            query.setArray(2, connection.createArrayOf("text",
                    changes.stream().map(FoldedBatch.MembershipChange::memberId).toArray()));
            query.setString(3, tenantId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    stored.put(List.of(rs.getString(1), rs.getString(2)), new Stored(rs.getString(3), rs.getBoolean(4),
                            rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getLong(7)));
                }
            }
        }
        return stored;
    }

    private static void write(Connection connection, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        String[] tenants = new String[n];
        String[] containers = new String[n];
        String[] members = new String[n];
        String[] containerKinds = new String[n];
        String[] memberTypes = new String[n];
        Boolean[] present = new Boolean[n];
        String[] observedAt = new String[n];
        String[] runIds = new String[n];
        Long[] epochs = new Long[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            FoldedBatch.MembershipChange m = row.change;
            tenants[i] = m.tenantId();
            containers[i] = m.containerId();
            members[i] = m.memberId();
            containerKinds[i] = m.containerKind().dbValue();
            memberTypes[i] = row.memberType;
            present[i] = row.present;
            observedAt[i] = row.observedAt.toString();
            runIds[i] = row.runId;
            epochs[i] = row.epoch;
        }
        try (PreparedStatement upsert = connection.prepareStatement(WRITE)) {
            upsert.setArray(1, connection.createArrayOf("text", tenants));
            upsert.setArray(2, connection.createArrayOf("text", containers));
            upsert.setArray(3, connection.createArrayOf("text", members));
            upsert.setArray(4, connection.createArrayOf("text", containerKinds));
            upsert.setArray(5, connection.createArrayOf("text", memberTypes));
            upsert.setArray(6, connection.createArrayOf("bool", present));
            upsert.setArray(7, connection.createArrayOf("text", observedAt));
            upsert.setArray(8, connection.createArrayOf("text", runIds));
            upsert.setArray(9, connection.createArrayOf("int8", epochs));
            upsert.executeUpdate();
        }
    }

    private static void placeholders(Connection connection, Collection<FoldedBatch.MembershipChange> changes)
            throws SQLException {
        Set<List<String>> referenced = new LinkedHashSet<>();
        for (FoldedBatch.MembershipChange m : changes) {
            referenced.add(List.of(m.tenantId(), m.containerId(), m.containerKind().dbValue()));
            if (m.present()) {
                referenced.add(List.of(m.tenantId(), m.memberId(), m.memberType().dbValue()));
            }
        }
        String[][] columns = new String[3][referenced.size()];
        int i = 0;
        for (List<String> ref : referenced) {
            columns[0][i] = ref.get(0);
            columns[1][i] = ref.get(1);
            columns[2][i] = ref.get(2);
            i++;
        }
        try (PreparedStatement placeholder = connection.prepareStatement(PLACEHOLDER)) {
            placeholder.setArray(1, connection.createArrayOf("text", columns[0]));
            placeholder.setArray(2, connection.createArrayOf("text", columns[1]));
            placeholder.setArray(3, connection.createArrayOf("text", columns[2]));
            placeholder.executeUpdate();
        }
    }
}
