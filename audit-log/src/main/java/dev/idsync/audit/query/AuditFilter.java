package dev.idsync.audit.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an audit query asks for: always one tenant (each tenant is its own chain and its own partitions),
 * optionally one object, event type, actor, run, topic and a half-open time range on when the event happened.
 * The topic tells the layers apart (docs/DESIGN.md): the same type, {@code user.upserted} say, is on the Graph
 * observations topic as what Graph said and on {@code idsync.directory.users.v2} as what idsync decided.
 * The topic has no index of its own: the observation and directory topics each hold a large share of a
 * tenant's rows, so a page of them is found quickly along seq; combined with a type, object, actor or run
 * their indexes are used.
 */
public record AuditFilter(String tenant, String objectId, String type, String actor, String runId, String topic,
        Instant from, Instant to) {

    /** The WHERE clause (after {@code tenant_id = ?}) and its parameters, in order. */
    String where(List<Object> parameters) {
        StringBuilder sql = new StringBuilder("tenant_id = ?");
        parameters.add(tenant);
        add(sql, parameters, "object_id = ?", objectId);
        add(sql, parameters, "ce_type = ?", type);
        add(sql, parameters, "actor = ?", actor);
        add(sql, parameters, "run_id = ?", runId);
        add(sql, parameters, "topic = ?", topic);
        add(sql, parameters, "occurred_at >= ?", from == null ? null : from.atOffset(java.time.ZoneOffset.UTC));
        add(sql, parameters, "occurred_at < ?", to == null ? null : to.atOffset(java.time.ZoneOffset.UTC));
        return sql.toString();
    }

    private static void add(StringBuilder sql, List<Object> parameters, String condition, Object value) {
        if (value != null) {
            sql.append(" and ").append(condition);
            parameters.add(value);
        }
    }

    static List<Object> parameters() {
        return new ArrayList<>();
    }
}
