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
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads of the dry-run plans: the run with its summary, its items paged or streamed. */
@ApplicationScoped
public class DryRunQueries {

    private static final TypeReference<Object> JSON = new TypeReference<>() { };

    private final AgroalDataSource dataSource;

    DryRunQueries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The run and its summary, or null when no event of it was read. */
    public Map<String, Object> run(String tenantId, String runId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("""
                        select state, resources, limited, reason, started_at, completed_at, planned_at,
                               summary::text, received::text, expected::text
                        from dry_runs where tenant_id = ? and run_id = ?""")) {
            q.setString(1, tenantId);
            q.setString(2, runId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("tenantId", tenantId);
                run.put("runId", runId);
                run.put("state", rs.getString("state"));
                run.put("resources", Arrays.asList((String[]) rs.getArray("resources").getArray()));
                run.put("limited", rs.getBoolean("limited"));
                run.put("note", rs.getString("reason"));
                run.put("startedAt", instant(rs.getTimestamp("started_at")));
                run.put("completedAt", instant(rs.getTimestamp("completed_at")));
                run.put("plannedAt", instant(rs.getTimestamp("planned_at")));
                run.put("summary", json(rs.getString("summary")));
                run.put("eventsReceived", json(rs.getString("received")));
                run.put("eventsAnnounced", rs.getString("expected") == null ? null : json(rs.getString("expected")));
                return run;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String ITEMS = """
            from dry_run_items where tenant_id = ? and run_id = ? and (?::text is null or action = ?)
              and (?::text is null or kind = ?)
            """;

    public Page<Map<String, Object>> items(String tenantId, String runId, String action, String kind, int page,
            int size) {
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement q = c.prepareStatement("select count(*) " + ITEMS)) {
                bind(q, tenantId, runId, action, kind);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Map<String, Object>> items = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("select * " + ITEMS
                    + " order by action, kind, object_id limit ? offset ?")) {
                int i = bind(q, tenantId, runId, action, kind);
                q.setInt(i++, size);
                q.setLong(i, (long) page * size);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        items.add(item(rs));
                    }
                }
            }
            return new Page<>(items, page, size, total);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Streams every item of the plan from a server-side cursor. */
    public void forEachItem(String tenantId, String runId, DirectoryQueries.RowConsumer consumer) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement q = c.prepareStatement("select * " + ITEMS + " order by action, kind, object_id")) {
                q.setFetchSize(1000);
                bind(q, tenantId, runId, null, null);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(item(rs));
                    }
                }
            }
            c.commit();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int bind(PreparedStatement q, String tenantId, String runId, String action, String kind)
            throws SQLException {
        int i = 1;
        q.setString(i++, tenantId);
        q.setString(i++, runId);
        q.setString(i++, action);
        q.setString(i++, action);
        q.setString(i++, kind);
        q.setString(i++, kind);
        return i;
    }

    private static Map<String, Object> item(ResultSet rs) throws SQLException {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("action", rs.getString("action"));
        item.put("kind", rs.getString("kind"));
        item.put("id", rs.getString("object_id"));
        item.put("displayName", rs.getString("display_name"));
        item.put("changes", json(rs.getString("changes")));
        item.put("reason", rs.getString("reason"));
        return item;
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Object json(String text) {
        try {
            return EventJson.mapper().readValue(text, JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
