package dev.idsync.processor.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.idsync.events.EventJson;
import dev.idsync.processor.rules.TenantRuleBook;
import dev.idsync.processor.rules.TenantRules;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Computes a dry run's plan: what applying its events as a full sync would do to the store, by the same
 * rules the real apply uses ({@link TenantRules}: scoping filters judged on the stored attributes
 * merged with the read ones, field and org-unit mapping for users; the full-sync sweep of the run's
 * resources; the deletion threshold). Reads the store, writes only {@code dry_run_*}.
 *
 * <ul>
 *   <li><b>add</b>: read and in scope, and the store has no active object for it (absent, a placeholder,
 *       or pending deletion / removed: the upsert would bring it back);</li>
 *   <li><b>update</b>: read, in scope, active in the store, and some mapped attribute differs (old → new);</li>
 *   <li><b>delete</b>: active in the store and either read as removed, read but out of scope, or not read
 *       at all by a run covering its resource ({@code notSeenInFullSync}). A run stopped by
 *       {@code limitUsers} read only part of the users: no user is proposed as not seen.</li>
 * </ul>
 */
@ApplicationScoped
public class DryRunPlanner {

    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() { };
    private static final int BATCH = 1000;

    private static final String INSERT_ITEM = """
            insert into dry_run_items (tenant_id, run_id, object_id, kind, action, display_name, changes, reason)
            values (?, ?, ?, ?, ?, ?, ?::jsonb, ?)
            on conflict (tenant_id, run_id, object_id) do nothing
            """;

    private static final String READ_AGAINST_STORE = """
            select d.object_id, d.kind, d.attributes::text, d.removed, d.removal_reason,
                   o.attributes::text, o.state, o.placeholder
            from dry_run_objects d
            left join objects o on o.tenant_id = d.tenant_id and o.object_id = d.object_id
            where d.tenant_id = ? and d.run_id = ?
            """;

    // The full-sync sweep's view: active objects of the run's kinds that the run did not read.
    private static final String NOT_SEEN = """
            insert into dry_run_items (tenant_id, run_id, object_id, kind, action, display_name, reason)
            select o.tenant_id, ?, o.object_id, o.kind, 'delete', o.attributes ->> 'displayName', ?
            from objects o
            where o.tenant_id = ? and o.kind = any(?) and o.state = 'active' and not o.placeholder
              and not exists (select 1 from dry_run_objects d
                              where d.tenant_id = o.tenant_id and d.run_id = ? and d.object_id = o.object_id)
            on conflict (tenant_id, run_id, object_id) do nothing
            """;

    private static final String MEMBERSHIPS_ADDED = """
            select count(*) from dry_run_memberships d
            where d.tenant_id = ? and d.run_id = ? and d.present
              and not exists (select 1 from memberships m where m.tenant_id = d.tenant_id
                              and m.container_id = d.container_id and m.member_id = d.member_id and m.present)
            """;

    // Removed: read as removed, or (for the container kinds the run covers) present in the store and not read.
    private static final String MEMBERSHIPS_REMOVED = """
            select (select count(*) from dry_run_memberships d
                    where d.tenant_id = ? and d.run_id = ? and not d.present
                      and exists (select 1 from memberships m where m.tenant_id = d.tenant_id
                                  and m.container_id = d.container_id and m.member_id = d.member_id and m.present))
                 + (select count(*) from memberships m
                    where m.tenant_id = ? and m.present and m.container_kind = any(?)
                      and not exists (select 1 from dry_run_memberships d where d.tenant_id = m.tenant_id
                                      and d.run_id = ? and d.container_id = m.container_id
                                      and d.member_id = m.member_id))
            """;

    private final TenantRuleBook rules;

    DryRunPlanner(TenantRuleBook rules) {
        this.rules = rules;
    }

    /** Computes and stores the plan of the run, marks it complete and drops what was staged for it. */
    void plan(Connection connection, String tenantId, String runId) throws SQLException {
        TenantRules tenantRules = rules.of(tenantId);
        Set<String> resources;
        boolean limited;
        try (PreparedStatement q = connection.prepareStatement(
                "select resources, limited from dry_runs where tenant_id = ? and run_id = ?")) {
            q.setString(1, tenantId);
            q.setString(2, runId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                resources = Set.copyOf(Arrays.asList((String[]) rs.getArray(1).getArray()));
                limited = rs.getBoolean(2);
            }
        }
        try (PreparedStatement clear = connection.prepareStatement(
                "delete from dry_run_items where tenant_id = ? and run_id = ?")) {
            clear.setString(1, tenantId);
            clear.setString(2, runId);
            clear.executeUpdate();
        }
        long outOfScopeNotStored = planReadObjects(connection, tenantRules, tenantId, runId);

        List<String> sweptKinds = new ArrayList<>(ObjectKind.dbValuesOfResources(resources));
        if (limited) {
            sweptKinds.remove(ObjectKind.USER.dbValue());
        }
        try (PreparedStatement sweep = connection.prepareStatement(NOT_SEEN)) {
            sweep.setString(1, runId);
            sweep.setString(2, ObjectState.NOT_SEEN_IN_FULL_SYNC);
            sweep.setString(3, tenantId);
            sweep.setArray(4, connection.createArrayOf("text", sweptKinds.toArray()));
            sweep.setString(5, runId);
            sweep.executeUpdate();
        }
        List<String> containerKinds = ObjectKind.dbValuesOfResources(resources).stream()
                .filter(k -> k.equals(ObjectKind.GROUP.dbValue()) || k.equals(ObjectKind.DIRECTORY_ROLE.dbValue()))
                .toList();
        long membershipsAdded = count(connection, MEMBERSHIPS_ADDED, tenantId, runId);
        long membershipsRemoved;
        try (PreparedStatement q = connection.prepareStatement(MEMBERSHIPS_REMOVED)) {
            q.setString(1, tenantId);
            q.setString(2, runId);
            q.setString(3, tenantId);
            q.setArray(4, connection.createArrayOf("text", containerKinds.toArray()));
            q.setString(5, runId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                membershipsRemoved = rs.getLong(1);
            }
        }

        Map<String, Object> summary = summary(connection, tenantRules, tenantId, runId);
        summary.put("memberships", Map.of("add", membershipsAdded, "remove", membershipsRemoved));
        summary.put("usersOutOfScopeNotStored", outOfScopeNotStored);
        summary.put("deletionsComputed", Map.of(
                "notSeen", limited ? "not computed for users: the run stopped at limitUsers" : "computed",
                "kinds", sweptKinds));
        try (PreparedStatement done = connection.prepareStatement("""
                update dry_runs set state = 'complete', summary = ?::jsonb, planned_at = now(), updated_at = now()
                where tenant_id = ? and run_id = ?""")) {
            done.setString(1, EventJson.mapper().valueToTree(summary).toString());
            done.setString(2, tenantId);
            done.setString(3, runId);
            done.executeUpdate();
        }
        for (String table : List.of("dry_run_objects", "dry_run_memberships")) {
            try (PreparedStatement drop = connection.prepareStatement(
                    "delete from " + table + " where tenant_id = ? and run_id = ?")) {
                drop.setString(1, tenantId);
                drop.setString(2, runId);
                drop.executeUpdate();
            }
        }
    }

    /** Adds, updates and deletions of what the run read; returns the out-of-scope users the store does not hold. */
    private long planReadObjects(Connection connection, TenantRules tenantRules, String tenantId, String runId)
            throws SQLException {
        long outOfScopeNotStored = 0;
        try (PreparedStatement read = connection.prepareStatement(READ_AGAINST_STORE);
                PreparedStatement insert = connection.prepareStatement(INSERT_ITEM)) {
            read.setFetchSize(BATCH); // a cursor: the caller's transaction is open
            read.setString(1, tenantId);
            read.setString(2, runId);
            int pending = 0;
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    String objectId = rs.getString(1);
                    String kind = rs.getString(2);
                    Map<String, Object> seen = json(rs.getString(3));
                    boolean removed = rs.getBoolean(4);
                    String removalReason = rs.getString(5);
                    Map<String, Object> stored = rs.getString(6) == null ? null : json(rs.getString(6));
                    boolean storedActive = stored != null && "active".equals(rs.getString(7)) && !rs.getBoolean(8);
                    Item item = null;
                    if (removed) {
                        if (storedActive) {
                            item = Item.delete(objectId, kind, stored, removalReason);
                        }
                    } else if (kind.equals(ObjectKind.USER.dbValue()) && !inScope(tenantRules, objectId, stored, seen)) {
                        if (storedActive) {
                            item = Item.delete(objectId, kind, stored, dev.idsync.events.RemovalReason.OUT_OF_SCOPE.json());
                        } else {
                            outOfScopeNotStored++;
                        }
                    } else {
                        Map<String, Object> local = kind.equals(ObjectKind.USER.dbValue())
                                ? tenantRules.toLocal(seen) : seen;
                        if (!storedActive) {
                            item = Item.add(objectId, kind, local,
                                    stored == null || rs.getBoolean(8) ? null : "restores a " + rs.getString(7) + " object");
                        } else {
                            List<Map<String, Object>> changes = changes(stored, local);
                            if (!changes.isEmpty()) {
                                item = new Item(objectId, kind, "update", displayName(local, stored), changes, null);
                            }
                        }
                    }
                    if (item != null) {
                        item.bind(insert, tenantId, runId);
                        insert.addBatch();
                        if (++pending == BATCH) {
                            insert.executeBatch();
                            pending = 0;
                        }
                    }
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
        return outOfScopeNotStored;
    }

    /** As the real apply judges it: the stored attributes merged with the read ones. */
    private static boolean inScope(TenantRules rules, String objectId, Map<String, Object> stored,
            Map<String, Object> seen) {
        if (!rules.hasFilters()) {
            return true;
        }
        Map<String, Object> known = new HashMap<>(stored == null ? Map.of() : stored);
        known.putAll(seen);
        return rules.inScope(objectId, known);
    }

    /** The attributes the upsert would change ({@code attributes || new}): old → new for each. */
    private static List<Map<String, Object>> changes(Map<String, Object> stored, Map<String, Object> local) {
        List<Map<String, Object>> changes = new ArrayList<>();
        local.forEach((name, value) -> {
            Object old = stored.get(name);
            if (!stored.containsKey(name) || !Objects.equals(normalised(old), normalised(value))) {
                if (stored.containsKey(name) || value != null) {
                    changes.add(change(name, old, value));
                }
            }
        });
        return changes;
    }

    // JSON round trips turn every integer into Integer or Long and lists into ArrayList: compare as JSON.
    private static Object normalised(Object value) {
        return EventJson.mapper().valueToTree(value);
    }

    private static Map<String, Object> change(String attribute, Object old, Object value) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("attribute", attribute);
        change.put("old", old);
        change.put("new", value);
        return change;
    }

    private static String displayName(Map<String, Object> primary, Map<String, Object> fallback) {
        Object name = primary.get("displayName");
        if (name == null && fallback != null) {
            name = fallback.get("displayName");
        }
        return name == null ? null : name.toString();
    }

    private record Item(String objectId, String kind, String action, String displayName,
            List<Map<String, Object>> changes, String reason) {

        static Item add(String objectId, String kind, Map<String, Object> attributes, String reason) {
            List<Map<String, Object>> changes = new ArrayList<>();
            attributes.forEach((name, value) -> {
                Map<String, Object> change = change(name, null, value);
                change.remove("old"); // nothing to compare with
                changes.add(change);
            });
            return new Item(objectId, kind, "add", DryRunPlanner.displayName(attributes, null), changes, reason);
        }

        static Item delete(String objectId, String kind, Map<String, Object> stored, String reason) {
            return new Item(objectId, kind, "delete", DryRunPlanner.displayName(stored, null), List.of(), reason);
        }

        void bind(PreparedStatement insert, String tenantId, String runId) throws SQLException {
            insert.setString(1, tenantId);
            insert.setString(2, runId);
            insert.setString(3, objectId);
            insert.setString(4, kind);
            insert.setString(5, action);
            insert.setString(6, displayName);
            insert.setString(7, EventJson.mapper().valueToTree(changes).toString());
            insert.setString(8, reason);
        }
    }

    /** Counts per kind and action, and whether the deletions would be held by the tenant's threshold. */
    private static Map<String, Object> summary(Connection connection, TenantRules rules, String tenantId, String runId)
            throws SQLException {
        Map<String, Object> summary = new LinkedHashMap<>();
        for (ObjectKind kind : List.of(ObjectKind.USER, ObjectKind.GROUP, ObjectKind.DIRECTORY_ROLE)) {
            summary.put(kind.dbValue(), new LinkedHashMap<>(Map.of("add", 0L, "update", 0L, "delete", 0L)));
        }
        long deletions = 0;
        try (PreparedStatement q = connection.prepareStatement("""
                select kind, action, count(*) from dry_run_items where tenant_id = ? and run_id = ?
                group by kind, action""")) {
            q.setString(1, tenantId);
            q.setString(2, runId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> byAction = (Map<String, Object>) summary.computeIfAbsent(rs.getString(1),
                            k -> new LinkedHashMap<>(Map.of("add", 0L, "update", 0L, "delete", 0L)));
                    byAction.put(rs.getString(2), rs.getLong(3));
                    if ("delete".equals(rs.getString(2))) {
                        deletions += rs.getLong(3);
                    }
                }
            }
        }
        long live = DeletionGate.liveObjects(connection, tenantId);
        Map<String, Object> threshold = new LinkedHashMap<>();
        threshold.put("deletions", deletions);
        threshold.put("liveObjects", live);
        threshold.put("wouldBeHeld", rules.deleteThreshold().exceededBy(deletions, live));
        summary.put("deleteThreshold", threshold);
        return summary;
    }

    private static long count(Connection connection, String sql, String tenantId, String runId) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement(sql)) {
            q.setString(1, tenantId);
            q.setString(2, runId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Map<String, Object> json(String text) {
        try {
            return EventJson.mapper().readValue(text, ATTRIBUTES);
        } catch (IOException e) {
            throw new IllegalStateException("attributes are not JSON", e);
        }
    }
}
