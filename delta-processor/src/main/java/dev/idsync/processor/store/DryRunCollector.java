package dev.idsync.processor.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.idsync.events.EventJson;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunFailed;
import dev.idsync.events.SyncRunStarted;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects one poll batch of the dry-run topic in one transaction: what the run read goes to the
 * {@code dry_run_*} tables (batched, folded like a real batch), never to {@code objects} or
 * {@code memberships}. When the run's completion and all the events it announced are in, the plan is
 * computed ({@link DryRunPlanner}) in the same transaction.
 *
 * <p>Idempotent: the staged rows are upserts; events of a run whose plan is computed are ignored.
 */
@ApplicationScoped
public class DryRunCollector {

    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() { };

    /** The note graph-poller's run ends with when it stopped at {@code limitUsers} (SyncRun.reason). */
    static final String LIMIT_USERS_MARK = "(limitUsers)";

    private static final String OPEN_RUN = """
            insert into dry_runs (tenant_id, run_id) values (?, ?)
            on conflict (tenant_id, run_id) do nothing
            """;

    private static final String STAGE_OBJECT = """
            insert into dry_run_objects as d (tenant_id, run_id, object_id, kind, attributes, removed, removal_reason)
            values (?, ?, ?, ?, ?::jsonb, ?, ?)
            on conflict (tenant_id, run_id, object_id) do update set
                attributes = d.attributes || excluded.attributes,
                removed = excluded.removed,
                removal_reason = excluded.removal_reason
            """;

    private static final String STAGE_MEMBERSHIP = """
            insert into dry_run_memberships (tenant_id, run_id, container_id, member_id, container_kind, present)
            values (?, ?, ?, ?, ?, ?)
            on conflict (tenant_id, run_id, container_id, member_id) do update set present = excluded.present
            """;

    private final AgroalDataSource dataSource;
    private final DryRunPlanner planner;

    DryRunCollector(AgroalDataSource dataSource, DryRunPlanner planner) {
        this.dataSource = dataSource;
        this.planner = planner;
    }

    private record RunKey(String tenantId, String runId) {
    }

    /** Where a record was read: replays are recognised by it. */
    public record Position(String topic, int partition, long offset) {
    }

    /** A record of the poll batch: where it was read and its event (null when it was unreadable). */
    public record Positioned(Position position, SyncEvent event) {
    }

    /**
     * Stages the batch, skipping records staged before (a re-delivery after a crash between the database
     * commit and the offset commit); returns how many of its events belonged to runs still collecting.
     */
    public int collect(List<Positioned> records) {
        if (records.isEmpty()) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<SyncEvent> fresh = unseen(connection, records);
                int relevant = fresh.isEmpty() ? 0 : collect(connection, fresh);
                connection.commit();
                return relevant;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not collect a dry-run batch of " + records.size() + " records", e);
        }
    }

    /** The events of records past each partition's stored offset; moves the stored offsets past the batch. */
    private static List<SyncEvent> unseen(Connection connection, List<Positioned> records) throws SQLException {
        Map<List<Object>, Long> next = new LinkedHashMap<>();
        for (Positioned record : records) {
            next.put(List.of(record.position().topic(), record.position().partition()), null);
        }
        try (PreparedStatement q = connection.prepareStatement(
                "select next_offset from dry_run_offsets where topic = ? and partition = ? for update")) {
            for (List<Object> partition : next.keySet()) {
                q.setString(1, (String) partition.get(0));
                q.setInt(2, (Integer) partition.get(1));
                try (ResultSet rs = q.executeQuery()) {
                    next.put(partition, rs.next() ? rs.getLong(1) : 0L);
                }
            }
        }
        Map<List<Object>, Long> stored = new HashMap<>(next);
        List<SyncEvent> fresh = new java.util.ArrayList<>();
        for (Positioned record : records) {
            List<Object> partition = List.of(record.position().topic(), record.position().partition());
            if (record.position().offset() < stored.get(partition)) {
                continue; // staged by an earlier delivery of this record
            }
            if (record.event() != null) {
                fresh.add(record.event());
            }
            next.merge(partition, record.position().offset() + 1, Math::max);
        }
        try (PreparedStatement save = connection.prepareStatement("""
                insert into dry_run_offsets (topic, partition, next_offset) values (?, ?, ?)
                on conflict (topic, partition) do update set next_offset = excluded.next_offset""")) {
            for (Map.Entry<List<Object>, Long> partition : next.entrySet()) {
                save.setString(1, (String) partition.getKey().get(0));
                save.setInt(2, (Integer) partition.getKey().get(1));
                save.setLong(3, partition.getValue());
                save.addBatch();
            }
            save.executeBatch();
        }
        return fresh;
    }

    private int collect(Connection connection, List<SyncEvent> events) throws SQLException {
        Map<RunKey, Map<String, Long>> receivedByRun = new LinkedHashMap<>();
        for (SyncEvent event : events) {
            String runId = runId(event);
            if (runId != null && event.eventType() != null) {
                receivedByRun.computeIfAbsent(new RunKey(event.tenantId(), runId), k -> new HashMap<>())
                        .merge(countName(event), 1L, Long::sum);
            }
        }
        if (receivedByRun.isEmpty()) {
            return 0;
        }
        Set<RunKey> collecting = openRuns(connection, receivedByRun.keySet());
        List<SyncEvent> relevant = events.stream()
                .filter(e -> runId(e) != null && collecting.contains(new RunKey(e.tenantId(), runId(e))))
                .toList();
        FoldedBatch batch = FoldedBatch.of(relevant);
        stageObjects(connection, batch);
        stageMemberships(connection, batch.memberships.values());
        for (SyncEvent run : batch.runEvents) {
            recordRun(connection, run);
        }
        for (RunKey run : collecting) {
            if (countReceived(connection, run, receivedByRun.get(run))) {
                planner.plan(connection, run.tenantId(), run.runId());
            }
        }
        return relevant.size();
    }

    private static String runId(SyncEvent event) {
        return event instanceof SyncRunStarted || event instanceof SyncRunCompleted || event instanceof SyncRunFailed
                ? (event.runId() != null ? event.runId() : event.objectId())
                : event.runId();
    }

    /** {@code dev.idsync.user.upserted.v1} → {@code user.upserted}: the names graph-poller counts events by. */
    static String countName(SyncEvent event) {
        String type = event.ceType();
        return type.substring("dev.idsync.".length(), type.lastIndexOf('.'));
    }

    /** Creates unknown runs; returns the runs still collecting (locked for this transaction). */
    private static Set<RunKey> openRuns(Connection connection, Set<RunKey> runs) throws SQLException {
        try (PreparedStatement open = connection.prepareStatement(OPEN_RUN)) {
            for (RunKey run : runs) {
                open.setString(1, run.tenantId());
                open.setString(2, run.runId());
                open.addBatch();
            }
            open.executeBatch();
        }
        Set<RunKey> collecting = new LinkedHashSet<>();
        try (PreparedStatement state = connection.prepareStatement(
                "select state from dry_runs where tenant_id = ? and run_id = ? for update")) {
            for (RunKey run : runs) {
                state.setString(1, run.tenantId());
                state.setString(2, run.runId());
                try (ResultSet rs = state.executeQuery()) {
                    if (rs.next() && "collecting".equals(rs.getString(1))) {
                        collecting.add(run);
                    }
                }
            }
        }
        return collecting;
    }

    private static void stageObjects(Connection connection, FoldedBatch batch) throws SQLException {
        if (batch.upserts.isEmpty() && batch.removals.isEmpty()) {
            return;
        }
        try (PreparedStatement stage = connection.prepareStatement(STAGE_OBJECT)) {
            for (FoldedBatch.Upsert object : batch.upserts.values()) {
                stage.setString(1, object.tenantId);
                stage.setString(2, object.runId);
                stage.setString(3, object.objectId);
                stage.setString(4, object.kind.dbValue());
                stage.setString(5, EventJson.mapper().valueToTree(object.attributes).toString());
                stage.setBoolean(6, false);
                stage.setString(7, null);
                stage.addBatch();
            }
            for (FoldedBatch.Removal removal : batch.removals) {
                stage.setString(1, removal.tenantId());
                stage.setString(2, removal.runId());
                stage.setString(3, removal.objectId());
                stage.setString(4, removal.kind().dbValue());
                stage.setString(5, "{}");
                stage.setBoolean(6, true);
                stage.setString(7, removal.reason());
                stage.addBatch();
            }
            stage.executeBatch();
        }
    }

    private static void stageMemberships(Connection connection, Iterable<FoldedBatch.MembershipChange> changes)
            throws SQLException {
        try (PreparedStatement stage = connection.prepareStatement(STAGE_MEMBERSHIP)) {
            boolean any = false;
            for (FoldedBatch.MembershipChange m : changes) {
                stage.setString(1, m.tenantId());
                stage.setString(2, m.runId());
                stage.setString(3, m.containerId());
                stage.setString(4, m.memberId());
                stage.setString(5, m.containerKind().dbValue());
                stage.setBoolean(6, m.present());
                stage.addBatch();
                any = true;
            }
            if (any) {
                stage.executeBatch();
            }
        }
    }

    private static void recordRun(Connection connection, SyncEvent event) throws SQLException {
        String runId = runId(event);
        switch (event) {
            case SyncRunStarted e -> {
                try (PreparedStatement started = connection.prepareStatement("""
                        update dry_runs set resources = ?, started_at = coalesce(started_at, ?), updated_at = now()
                        where tenant_id = ? and run_id = ?""")) {
                    started.setArray(1, connection.createArrayOf("text", e.data().resources().toArray()));
                    started.setTimestamp(2, Timestamp.from(e.observedAt()));
                    started.setString(3, e.tenantId());
                    started.setString(4, runId);
                    started.executeUpdate();
                }
            }
            case SyncRunCompleted e -> finished(connection, e, runId, e.data(), "collecting");
            case SyncRunFailed e -> finished(connection, e, runId, e.data(), "failed");
            default -> throw new IllegalArgumentException("not a run event: " + event.ceType());
        }
    }

    private static void finished(Connection connection, SyncEvent event, String runId, SyncRun run, String state)
            throws SQLException {
        Map<String, Long> expected = new HashMap<>();
        run.counts().forEach((name, n) -> {
            if (isEventCount(name)) {
                expected.put(name, n);
            }
        });
        // The completion itself is one of the run's events.
        expected.merge(countName(event), 1L, Long::sum);
        try (PreparedStatement finished = connection.prepareStatement("""
                update dry_runs set resources = ?, expected = ?::jsonb, limited = ?, reason = ?, completed_at = ?,
                                    state = ?, updated_at = now()
                where tenant_id = ? and run_id = ?""")) {
            finished.setArray(1, connection.createArrayOf("text", run.resources().toArray()));
            finished.setString(2, EventJson.mapper().valueToTree(expected).toString());
            finished.setBoolean(3, run.reason() != null && run.reason().contains(LIMIT_USERS_MARK));
            finished.setString(4, run.reason());
            finished.setTimestamp(5, Timestamp.from(event.observedAt()));
            finished.setString(6, state);
            finished.setString(7, event.tenantId());
            finished.setString(8, runId);
            finished.executeUpdate();
        }
    }

    /** Whether a run counter counts events of a type (not pages, retries, ...). */
    private static boolean isEventCount(String name) {
        for (dev.idsync.events.EventType type : dev.idsync.events.EventType.values()) {
            String t = type.type();
            if (t.substring("dev.idsync.".length(), t.lastIndexOf('.')).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds the batch's events to what the run received; returns whether the run is complete and has
     * now received every event its completion announced.
     */
    private static boolean countReceived(Connection connection, RunKey run, Map<String, Long> batchCounts)
            throws SQLException {
        Map<String, Long> received;
        Map<String, Long> expected;
        String state;
        try (PreparedStatement q = connection.prepareStatement(
                "select received::text, expected::text, state from dry_runs where tenant_id = ? and run_id = ?")) {
            q.setString(1, run.tenantId());
            q.setString(2, run.runId());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                received = new HashMap<>(EventJson.mapper().readValue(rs.getString(1), COUNTS));
                expected = rs.getString(2) == null ? null : EventJson.mapper().readValue(rs.getString(2), COUNTS);
                state = rs.getString(3);
            } catch (IOException e) {
                throw new IllegalStateException("dry-run counts are not JSON", e);
            }
        }
        batchCounts.forEach((name, n) -> received.merge(name, n, Long::sum));
        try (PreparedStatement update = connection.prepareStatement(
                "update dry_runs set received = ?::jsonb, updated_at = now() where tenant_id = ? and run_id = ?")) {
            update.setString(1, EventJson.mapper().valueToTree(received).toString());
            update.setString(2, run.tenantId());
            update.setString(3, run.runId());
            update.executeUpdate();
        }
        if (expected == null || !"collecting".equals(state)) {
            return false;
        }
        return expected.entrySet().stream().allMatch(e -> received.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }
}
