package dev.idsync.processor.api;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.idsync.events.EventJson;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Reads of the directory store for the API: users, groups, memberships, sync status. */
@ApplicationScoped
public class DirectoryQueries {

    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() { };

    /** A filter of the user listing; every part optional. */
    public record UserFilter(String search, String state, String department, String orgUnit, boolean staleOnly,
            String departmentAttribute) {
    }

    private final AgroalDataSource dataSource;
    private final Duration staleAfter;

    DirectoryQueries(AgroalDataSource dataSource, @ConfigProperty(name = "processor.stale-after") Duration staleAfter) {
        this.dataSource = dataSource;
        this.staleAfter = staleAfter;
    }

    public Duration staleAfter() {
        return staleAfter;
    }

    private static final String USER_WHERE = """
            from objects o where o.tenant_id = ? and o.kind = 'user'
              and (? is null and o.state <> 'removed' or o.state = ?)
              and (? is null or o.object_id = ? or o.attributes ->> 'displayName' ilike ? or o.attributes ->> 'userPrincipalName' ilike ?
                   or o.attributes ->> 'mail' ilike ?)
              and (? is null or o.attributes ->> ? = ?)
              and (? is null or o.attributes ->> 'orgUnit' = ?)
              and (not ? or (not o.placeholder and o.state = 'active' and o.observed_at < ?))
            """;

    private int bindUserFilter(PreparedStatement q, String tenantId, UserFilter f) throws SQLException {
        String like = f.search() == null ? null : "%" + f.search().replace("%", "\\%").replace("_", "\\_") + "%";
        int i = 1;
        q.setString(i++, tenantId);
        q.setString(i++, f.state());
        q.setString(i++, f.state());
        q.setString(i++, f.search());
        q.setString(i++, f.search());
        q.setString(i++, like);
        q.setString(i++, like);
        q.setString(i++, like);
        q.setString(i++, f.department());
        q.setString(i++, f.departmentAttribute());
        q.setString(i++, f.department());
        q.setString(i++, f.orgUnit());
        q.setString(i++, f.orgUnit());
        q.setBoolean(i++, f.staleOnly());
        q.setTimestamp(i++, java.sql.Timestamp.from(Instant.now().minus(staleAfter)));
        return i;
    }

    public Page<Map<String, Object>> users(String tenantId, UserFilter filter, int page, int size) {
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement q = c.prepareStatement("select count(*) " + USER_WHERE)) {
                bindUserFilter(q, tenantId, filter);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Map<String, Object>> items = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("select " + OBJECT_COLUMNS + USER_WHERE
                    + " order by o.attributes ->> 'displayName' nulls last, o.object_id limit ? offset ?")) {
                int i = bindUserFilter(q, tenantId, filter);
                q.setInt(i++, size);
                q.setLong(i, (long) page * size);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        items.add(object(rs));
                    }
                }
            }
            return new Page<>(items, page, size, total);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Streams the users of the listing filter, row by row from a server-side cursor. */
    public void forEachUser(String tenantId, UserFilter filter, RowConsumer consumer) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement q = c.prepareStatement("select " + OBJECT_COLUMNS + USER_WHERE
                    + " order by o.object_id")) {
                q.setFetchSize(1000);
                bindUserFilter(q, tenantId, filter);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(object(rs));
                    }
                }
            }
            c.commit();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    public interface RowConsumer {
        void accept(Map<String, Object> row) throws IOException;
    }

    private static final String OBJECT_COLUMNS = """
            o.object_id, o.kind, o.state, o.removal_reason, o.placeholder, o.observed_at, o.run_id, o.epoch,
            o.attributes::text as attributes
            """;

    private Map<String, Object> object(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", rs.getString("object_id"));
        row.put("kind", rs.getString("kind"));
        row.put("state", rs.getString("state"));
        row.put("removalReason", rs.getString("removal_reason"));
        boolean placeholder = rs.getBoolean("placeholder");
        row.put("placeholder", placeholder);
        Instant observed = placeholder ? null : rs.getTimestamp("observed_at").toInstant();
        row.put("lastConfirmedAt", observed);
        row.put("stale", observed != null && observed.isBefore(Instant.now().minus(staleAfter)));
        row.put("runId", rs.getString("run_id"));
        row.put("epoch", rs.getLong("epoch"));
        try {
            row.put("attributes", EventJson.mapper().readValue(rs.getString("attributes"), ATTRIBUTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return row;
    }

    public Map<String, Object> object(String tenantId, String objectId, String kind) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("select " + OBJECT_COLUMNS
                        + " from objects o where o.tenant_id = ? and o.object_id = ? and o.kind = ?")) {
            q.setString(1, tenantId);
            q.setString(2, objectId);
            q.setString(3, kind);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? object(rs) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The groups and directory roles a member is in, with their display names. */
    public List<Map<String, Object>> containersOf(String tenantId, String memberId) {
        return list("""
                select m.container_id, m.container_kind, c.attributes ->> 'displayName', c.placeholder, m.observed_at
                from memberships m left join objects c on c.tenant_id = m.tenant_id and c.object_id = m.container_id
                where m.tenant_id = ? and m.member_id = ? and m.present
                order by m.container_kind, 3 nulls last, m.container_id""", tenantId, memberId,
                rs -> row("id", rs.getString(1), "kind", rs.getString(2), "displayName", rs.getString(3),
                        "placeholder", rs.getBoolean(4), "observedAt", rs.getTimestamp(5).toInstant()));
    }

    /** The present members of a group or directory role. */
    public Page<Map<String, Object>> members(String tenantId, String containerId, int page, int size) {
        List<Map<String, Object>> items = list("""
                select m.member_id, m.member_type, o.attributes ->> 'displayName', o.state, o.placeholder, m.observed_at
                from memberships m left join objects o on o.tenant_id = m.tenant_id and o.object_id = m.member_id
                where m.tenant_id = ? and m.container_id = ? and m.present
                order by 3 nulls last, m.member_id limit ? offset ?""", tenantId, containerId, size, (long) page * size,
                rs -> row("id", rs.getString(1), "type", rs.getString(2), "displayName", rs.getString(3),
                        "state", rs.getString(4), "placeholder", rs.getBoolean(5),
                        "observedAt", rs.getTimestamp(6).toInstant()));
        long total = count("select count(*) from memberships where tenant_id = ? and container_id = ? and present",
                tenantId, containerId);
        return new Page<>(items, page, size, total);
    }

    public Page<Map<String, Object>> groups(String tenantId, String search, int page, int size) {
        String like = search == null ? null : "%" + search + "%";
        List<Map<String, Object>> items = new ArrayList<>();
        String where = """
                from objects o where o.tenant_id = ? and o.kind = 'group' and o.state <> 'removed'
                  and (? is null or o.attributes ->> 'displayName' ilike ? or o.object_id = ?)""";
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("select " + OBJECT_COLUMNS + where
                        + " order by o.attributes ->> 'displayName' nulls last, o.object_id limit ? offset ?")) {
            q.setString(1, tenantId);
            q.setString(2, search);
            q.setString(3, like);
            q.setString(4, search);
            q.setInt(5, size);
            q.setLong(6, (long) page * size);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    items.add(object(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Page<>(items, page, size, count("select count(*) " + where, tenantId, search, like, search));
    }

    /**
     * Last successful sync per resource (from the runs' completions), the last full sync, and the user
     * counts by freshness (reference 000: stale after 24 hours).
     */
    public Map<String, Object> syncStatus(String tenantId) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("tenantId", tenantId);
        Map<String, Object> perResource = new LinkedHashMap<>();
        for (String resource : List.of("users", "groups", "directoryRoles")) {
            List<Map<String, Object>> last = list("""
                    select run_id, mode, epoch, finished_at from sync_runs
                    where tenant_id = ? and status = 'completed' and (? = any(resources) or cardinality(resources) = 0)
                    order by finished_at desc limit 1""", tenantId, resource,
                    rs -> row("runId", rs.getString(1), "mode", rs.getString(2), "epoch", rs.getLong(3),
                            "completedAt", rs.getTimestamp(4).toInstant()));
            perResource.put(resource, last.isEmpty() ? null : last.getFirst());
        }
        status.put("lastSuccessfulSync", perResource.values().stream().filter(java.util.Objects::nonNull)
                .map(r -> (Instant) ((Map<?, ?>) r).get("completedAt")).max(Instant::compareTo).orElse(null));
        status.put("resources", perResource);
        List<Map<String, Object>> lastFull = list("""
                select run_id, epoch, finished_at from sync_runs
                where tenant_id = ? and status = 'completed' and mode = 'full' order by finished_at desc limit 1""",
                tenantId, rs -> row("runId", rs.getString(1), "epoch", rs.getLong(2),
                        "completedAt", rs.getTimestamp(3).toInstant()));
        status.put("lastFullSync", lastFull.isEmpty() ? null : lastFull.getFirst());
        java.sql.Timestamp staleBefore = java.sql.Timestamp.from(Instant.now().minus(staleAfter));
        status.put("users", row(
                "active", count("select count(*) from objects where tenant_id = ? and kind = 'user' and state = 'active' and not placeholder", tenantId),
                "stale", count("select count(*) from objects where tenant_id = ? and kind = 'user' and state = 'active' and not placeholder and observed_at < ?", tenantId, staleBefore),
                "placeholders", count("select count(*) from objects where tenant_id = ? and kind = 'user' and placeholder", tenantId),
                "pendingDeletion", count("select count(*) from objects where tenant_id = ? and kind = 'user' and state in ('pendingDeletion', 'pendingHardDeletion')", tenantId)));
        status.put("heldDeletions", count("select count(*) from deletions where tenant_id = ? and status = 'held'", tenantId));
        status.put("staleAfter", staleAfter.toString());
        return status;
    }

    /**
     * The held deletions of a tenant grouped by run, reason and kind with their share of the tenant's live
     * objects of that kind, and one page of the deletions themselves.
     */
    public PendingDeletions pendingDeletions(String tenantId, int page, int size) {
        Map<String, Long> live = new LinkedHashMap<>();
        query("""
                select kind, count(*) from objects where tenant_id = ? and state = 'active' and not placeholder
                group by kind""", rs -> live.put(rs.getString(1), rs.getLong(2)), tenantId);
        record Held(String runId, String mode, Instant completedAt, String reason, String kind, long count) {
        }
        List<Held> held = query("""
                select d.run_id, r.mode, r.finished_at, d.reason, d.kind, count(*)
                from deletions d left join sync_runs r on r.tenant_id = d.tenant_id and r.run_id = d.run_id
                where d.tenant_id = ? and d.status = 'held'
                group by d.run_id, r.mode, r.finished_at, d.reason, d.kind
                order by d.run_id, count(*) desc, d.reason, d.kind""",
                rs -> new Held(rs.getString(1), rs.getString(2),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant(), rs.getString(4),
                        rs.getString(5), rs.getLong(6)), tenantId);
        List<PendingDeletions.Run> runs = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < held.size(); ) {
            Held first = held.get(i);
            List<PendingDeletions.Group> groups = new ArrayList<>();
            long count = 0;
            for (; i < held.size() && held.get(i).runId().equals(first.runId()); i++) {
                Held h = held.get(i);
                groups.add(PendingDeletions.Group.of(h.reason(), h.kind(), h.count(), live.getOrDefault(h.kind(), 0L)));
                count += h.count();
            }
            runs.add(new PendingDeletions.Run(first.runId().isEmpty() ? null : first.runId(), first.mode(),
                    first.completedAt(), count, groups));
            total += count;
        }
        List<Map<String, Object>> items = query("""
                select d.run_id, d.object_id, d.kind, d.reason, d.source, d.observed_at, d.created_at,
                       o.attributes ->> 'displayName', o.state
                from deletions d left join objects o on o.tenant_id = d.tenant_id and o.object_id = d.object_id
                where d.tenant_id = ? and d.status = 'held' order by d.run_id, d.object_id limit ? offset ?""",
                rs -> row("runId", rs.getString(1), "objectId", rs.getString(2), "kind", rs.getString(3),
                        "reason", rs.getString(4), "source", rs.getString(5),
                        "observedAt", rs.getTimestamp(6).toInstant(), "heldSince", rs.getTimestamp(7).toInstant(),
                        "displayName", rs.getString(8), "currentState", rs.getString(9)),
                tenantId, size, (long) page * size);
        return new PendingDeletions(tenantId, total, runs, items, page, size);
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> list(String sql, Object a, Object b, Object c, Object d, RowMapper<T> mapper) {
        return query(sql, mapper, a, b, c, d);
    }

    private <T> List<T> list(String sql, Object a, Object b, RowMapper<T> mapper) {
        return query(sql, mapper, a, b);
    }

    private <T> List<T> list(String sql, Object a, RowMapper<T> mapper) {
        return query(sql, mapper, a);
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] == null) {
                    q.setNull(i + 1, java.sql.Types.VARCHAR); // typed, so "? is null" can be planned
                } else {
                    q.setObject(i + 1, params[i]);
                }
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, Object... params) {
        return query(sql, rs -> rs.getLong(1), params).getFirst();
    }

    /** A JSON object with its keys in the given order (values may be null, unlike Map.of). */
    static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }
}
