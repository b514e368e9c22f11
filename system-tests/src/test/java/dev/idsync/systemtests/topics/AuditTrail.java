package dev.idsync.systemtests.topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idsync.events.Topics;
import dev.idsync.systemtests.stack.ApiClient;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.Tokens;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * audit-log's trail against the topics (issue 7): every record of every idsync topic audited exactly once
 * by {@code ce_id}, and every tenant's hash chain intact. Reads the topics from offset 0 and audit-log's
 * schema read-only.
 */
public final class AuditTrail {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditTrail() {
    }

    /**
     * Every record's ce_id (audit-log's id for a record that is no CloudEvent), with its topic. A record whose
     * value is no JSON object is audited under its position even when its headers name a ce_id, as audit-log
     * does (AuditEntry): a poison body must not claim the id of the event it imitates. An event
     * published unchanged on two topics (graph-poller's run markers on the observations and the runs topic)
     * is one id, kept with the topic where it is the only record of its kind, so every topic with records
     * shows among the values.
     */
    public static Map<String, String> publishedIds(Stack stack) {
        Map<String, String> ids = new HashMap<>();
        TopicRecords.forEach(stack.bootstrapServers(), Topics.ALL, r -> {
            String id = readableJsonObject(r.value()) && TopicRecords.ceType(r) != null ? TopicRecords.ceId(r) : null;
            ids.merge(id != null ? id : "unreadable:" + r.topic() + "/" + r.partition() + "/" + r.offset(), r.topic(),
                    (first, second) -> Topics.SYNC_RUNS.equals(second) ? second : first);
        });
        return ids;
    }

    private static boolean readableJsonObject(byte[] value) {
        if (value == null || value.length == 0) {
            return false;
        }
        try {
            return JSON.readTree(value) instanceof ObjectNode;
        } catch (IOException notJson) {
            return false;
        }
    }

    /** ce_id → how many rows audit-log holds for it (read-only; the schema is audit-log's). */
    public static Map<String, Long> auditedIds(Stack stack) {
        Map<String, Long> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
                Statement q = c.createStatement()) {
            c.setReadOnly(true);
            try (ResultSet rs = q.executeQuery("select ce_id, count(*) from audit.events group by ce_id")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit schema", e);
        }
        return rows;
    }

    /** Empty when each published id is audited exactly once and nothing else is audited; else the first 20 differences. */
    public static List<String> differences(Map<String, String> published, Map<String, Long> audited) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : published.entrySet()) {
            Long rows = audited.get(e.getKey());
            if (rows == null || rows != 1) {
                out.add(e.getKey() + " of " + e.getValue() + " audited " + (rows == null ? 0 : rows) + " times");
            }
            if (out.size() >= 20) {
                return out;
            }
        }
        Set<String> extra = new TreeSet<>(audited.keySet());
        extra.removeAll(published.keySet());
        extra.stream().limit(20 - out.size()).forEach(id -> out.add(id + " audited but on no topic"));
        return out;
    }

    /** The tenants audit-log keeps a chain for. */
    public static List<String> chainTenants(Stack stack) {
        List<String> tenants = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
                Statement q = c.createStatement(); ResultSet rs = q.executeQuery("select tenant_id from audit.chain_heads")) {
            while (rs.next()) {
                tenants.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit schema", e);
        }
        return tenants;
    }

    /** Empty when every tenant's chain verifies intact with rows (audit-log's verify API); else what did not. */
    public static List<String> brokenChains(Stack stack, Tokens tokens) {
        ApiClient audit = new ApiClient(stack.url(Stack.AUDIT), tokens.reader());
        List<String> out = new ArrayList<>();
        for (String tenant : chainTenants(stack)) {
            ApiClient.Response r = audit.get("/api/audit/verify?tenant=" + tenant);
            JsonNode verified = r.body();
            if (r.status() != 200 || !verified.path("intact").asBoolean() || verified.path("rowsChecked").asLong() <= 0) {
                out.add("chain of " + tenant + ": " + r.status() + " " + r.text());
            }
        }
        return out;
    }
}
