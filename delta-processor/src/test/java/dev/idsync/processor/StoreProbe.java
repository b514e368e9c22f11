package dev.idsync.processor;

import dev.idsync.events.EventJson;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunStarted;
import io.agroal.api.AgroalDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the directory schema the way a test wants to compare it. */
public record StoreProbe(AgroalDataSource dataSource, String tenant) {

    /** The object's row as one map: its JSON attributes plus the columns; null when absent. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> object(String objectId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("""
                        select kind, state, removal_reason, placeholder, updated_at, observed_at, epoch,
                               attributes::text as attributes
                        from directory.objects where tenant_id = ? and object_id = ?""")) {
            q.setString(1, tenant);
            q.setString(2, objectId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> row = new HashMap<>(EventJson.mapper().readValue(rs.getString("attributes"), Map.class));
                row.put("kind", rs.getString("kind"));
                row.put("state", rs.getString("state"));
                row.put("removal_reason", rs.getString("removal_reason"));
                row.put("placeholder", rs.getBoolean("placeholder"));
                row.put("updated_at", rs.getTimestamp("updated_at").toInstant());
                row.put("epoch", rs.getLong("epoch"));
                return row;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Present members of a group or role, sorted. */
    public List<String> members(String containerId) throws SQLException {
        return strings("select member_id from directory.memberships where tenant_id = ? and container_id = ? and present order by 1",
                containerId);
    }

    public long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, tenant);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The whole tenant as text rows (objects with every column, memberships): for "nothing changed". */
    public List<String> snapshot() throws SQLException {
        List<String> rows = new java.util.ArrayList<>(strings("""
                select o::text from directory.objects o where tenant_id = ? order by object_id""", null));
        rows.addAll(strings("select m::text from directory.memberships m where tenant_id = ? order by container_id, member_id", null));
        rows.addAll(strings("select d::text from directory.deletions d where tenant_id = ? order by run_id, object_id", null));
        return rows;
    }

    private List<String> strings(String sql, String second) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, tenant);
            if (second != null) {
                q.setString(2, second);
            }
            List<String> out = new java.util.ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /**
     * What the store holds for subscribers, keyed as on the directory topics: per object (not placeholders)
     * its full attributes while active, else its removal reason; per present membership its member type.
     */
    @SuppressWarnings("unchecked")
    public Map<String, String> decidedState() throws SQLException {
        Map<String, String> state = new java.util.TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement("""
                select object_id, kind, state, removal_reason, attributes::text from directory.objects
                where tenant_id = ? and not placeholder and kind in ('user', 'group', 'directoryRole')""")) {
            q.setString(1, tenant);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String kind = rs.getString(2);
                    state.put(tenant + ":" + rs.getString(1), rs.getString(3).equals("active")
                            ? kind + " " + canonical(EventJson.mapper().readValue(rs.getString(5), Map.class))
                            : kind + " removed " + rs.getString(4));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement("""
                select container_id, member_id, member_type from directory.memberships where tenant_id = ? and present""")) {
            q.setString(1, tenant);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    state.put(tenant + ":" + rs.getString(1) + ":" + rs.getString(2), "member " + rs.getString(3));
                }
            }
        }
        return state;
    }

    /** Attributes as canonical JSON (sorted keys): equal maps, equal text. */
    static String canonical(Map<String, Object> attributes) {
        return EventJson.canonical((com.fasterxml.jackson.databind.JsonNode) EventJson.mapper().valueToTree(attributes));
    }

    /** Rows of the outbox not yet published whose body mentions {@code text}. */
    public long outboxRowsMentioning(String text) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "select count(*) from directory.outbox where body like ?")) {
            q.setString(1, "%" + text.replace("%", "\\%").replace("_", "\\_") + "%");
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public SyncRunStarted started(String runId, SyncMode mode, long epoch, Instant at) {
        return new SyncRunStarted(tenant, runId, runId, epoch, at, new SyncRun(mode, List.of(), Map.of(), null));
    }

    public SyncRunCompleted completed(String runId, SyncMode mode, long epoch, Instant at) {
        return new SyncRunCompleted(tenant, runId, runId, epoch, at, new SyncRun(mode, List.of(), Map.of(), null));
    }

    /** A delta run's completion whose {@code initialRounds} were fresh initial reads (a resync). */
    public SyncRunCompleted completedWithInitialRounds(String runId, long epoch, Instant at, List<String> initialRounds) {
        return new SyncRunCompleted(tenant, runId, runId, epoch, at,
                new SyncRun(SyncMode.DELTA, List.of("users", "groups"), Map.of("resyncs", 1L), "expired", initialRounds));
    }
}
