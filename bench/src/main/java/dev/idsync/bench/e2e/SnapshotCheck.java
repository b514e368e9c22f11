package dev.idsync.bench.e2e;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idsync.config.SelectDefaults;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Whether idsync's store holds exactly what the emulator holds, checked set-based: the emulator's snapshot
 * is streamed (never held whole) and copied into staging tables in PostgreSQL ({@code COPY}), then the store
 * and the staging tables are compared with {@code EXCEPT ALL} in both directions: active users, groups and
 * directory roles with the attributes the poller selects by default (nulls and locally derived ones left
 * out, as system-tests' DirectoryState does), soft-deleted objects as pending ones, the members of groups
 * and roles, and placeholders (none may be left).
 */
final class SnapshotCheck {

    /** Differences per kind; {@link #total()} is 0 when the store equals the snapshot. */
    record Result(long objects, long memberships, long pending, long placeholders, long snapshotObjects,
                  long snapshotMemberships, double seconds, List<String> samples) {
        long total() {
            return objects + memberships + pending + placeholders;
        }
    }

    private static final Set<String> NOT_COMPARED = Set.of("id", "orgUnit", "members");
    private static final Map<String, List<String>> KEYS = Map.of(
            "user", SelectDefaults.USERS, "group", SelectDefaults.GROUPS, "directoryRole", SelectDefaults.DIRECTORY_ROLES);
    private static final Map<String, String> ARRAYS = Map.of(
            "users", "user", "deletedUsers", "user", "groups", "group", "deletedGroups", "group", "directoryRoles", "directoryRole");

    private SnapshotCheck() {
    }

    static Result run(Connection c, String emulatorUrl, String tenant) throws SQLException, IOException {
        long t0 = System.nanoTime();
        prepare(c);
        long[] counts = load(c, emulatorUrl, tenant);
        String storeObjects = """
                select o.kind, o.object_id, coalesce((select jsonb_object_agg(a.key, a.value) from jsonb_each(o.attributes) a
                        where jsonb_typeof(a.value) <> 'null'
                          and a.key in (select k.key from bench_check.keys k where k.kind = o.kind)), '{}'::jsonb) attrs
                from directory.objects o
                where o.tenant_id = ? and o.state = 'active' and not o.placeholder and o.kind in ('user', 'group', 'directoryRole')
                """;
        String snapObjects = "select kind, id, attrs from bench_check.objects where not deleted";
        long objects = count(c, "select count(*) from ((" + snapObjects + " except all " + storeObjects + ") union all ("
                + storeObjects + " except all " + snapObjects + ")) d", tenant, tenant);
        String storeMembers = "select container_kind, container_id, member_id from directory.memberships where tenant_id = ? and present";
        String snapMembers = "select container_kind, container_id, member_id from bench_check.members";
        long memberships = count(c, "select count(*) from ((" + snapMembers + " except all " + storeMembers + ") union all ("
                + storeMembers + " except all " + snapMembers + ")) d", tenant, tenant);
        String storePending = """
                select kind, object_id from directory.objects where tenant_id = ? and not placeholder
                  and state in ('pendingDeletion', 'pendingHardDeletion') and kind in ('user', 'group')""";
        String snapPending = "select kind, id from bench_check.objects where deleted";
        long pending = count(c, "select count(*) from ((" + snapPending + " except all " + storePending + ") union all ("
                + storePending + " except all " + snapPending + ")) d", tenant, tenant);
        long placeholders = count(c, "select count(*) from directory.objects where tenant_id = ? and placeholder", tenant);
        List<String> samples = new ArrayList<>();
        if (objects > 0) {
            samples.addAll(rows(c, "(" + snapObjects + " except all " + storeObjects + ") limit 3", "snapshot only: ", tenant));
            samples.addAll(rows(c, "(" + storeObjects + " except all " + snapObjects + ") limit 3", "store only: ", tenant));
        }
        if (memberships > 0) {
            samples.addAll(rows(c, "(" + snapMembers + " except all " + storeMembers + ") limit 3", "member in snapshot only: ", tenant));
            samples.addAll(rows(c, "(" + storeMembers + " except all " + snapMembers + ") limit 3", "member in store only: ", tenant));
        }
        return new Result(objects, memberships, pending, placeholders, counts[0], counts[1], (System.nanoTime() - t0) / 1e9, samples);
    }

    private static void prepare(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create schema if not exists bench_check");
            s.execute("drop table if exists bench_check.objects, bench_check.members, bench_check.keys");
            s.execute("create unlogged table bench_check.objects (kind text, id text, deleted boolean, attrs jsonb)");
            s.execute("create unlogged table bench_check.members (container_kind text, container_id text, member_id text)");
            s.execute("create unlogged table bench_check.keys (kind text, key text)");
        }
        try (PreparedStatement p = c.prepareStatement("insert into bench_check.keys values (?, ?)")) {
            for (var e : KEYS.entrySet()) {
                for (String key : e.getValue()) {
                    if (!NOT_COMPARED.contains(key)) {
                        p.setString(1, e.getKey());
                        p.setString(2, key);
                        p.addBatch();
                    }
                }
            }
            p.executeBatch();
        }
    }

    /** Streams the snapshot into the staging tables; returns {objects, member links}. */
    private static long[] load(Connection c, String emulatorUrl, String tenant) throws SQLException, IOException {
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        long objects = 0;
        long links = 0;
        CopyIn objectsIn = null;
        try (InputStream in = Http.stream(emulatorUrl + "/_emulator/tenants/" + tenant + "/snapshot");
                JsonParser p = Http.JSON.getFactory().createParser(in)) {
            StringBuilder objectRows = new StringBuilder();
            StringBuilder memberRows = new StringBuilder();
            objectsIn = copy.copyIn("copy bench_check.objects from stdin");
            CopyIn membersIn = null;
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the snapshot is not a JSON object");
            }
            List<String> pendingMembers = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                String kind = ARRAYS.get(field);
                if (kind == null || value != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                boolean deleted = field.startsWith("deleted");
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    ObjectNode object = Http.JSON.readTree(p);
                    String id = object.path("id").asText();
                    ObjectNode attrs = Http.JSON.createObjectNode();
                    for (String key : KEYS.get(kind)) {
                        JsonNode v = object.get(key);
                        if (!NOT_COMPARED.contains(key) && v != null && !v.isNull()) {
                            attrs.set(key, v);
                        }
                    }
                    objectRows.append(kind).append('\t').append(escape(id)).append('\t').append(deleted ? 't' : 'f')
                            .append('\t').append(escape(Http.JSON.writeValueAsString(attrs))).append('\n');
                    objects++;
                    if (!deleted) {
                        for (Iterator<JsonNode> m = object.path("members").elements(); m.hasNext(); ) {
                            JsonNode member = m.next();
                            String memberId = member.isObject() ? member.path("id").asText() : member.asText();
                            memberRows.append(kind).append('\t').append(escape(id)).append('\t').append(escape(memberId)).append('\n');
                            links++;
                        }
                    }
                    if (objectRows.length() > 1 << 20) {
                        write(objectsIn, objectRows);
                    }
                    if (memberRows.length() > 1 << 20) {
                        // one COPY at a time per connection: members are buffered and copied after the objects
                        pendingMembers.add(memberRows.toString());
                        memberRows.setLength(0);
                    }
                }
            }
            write(objectsIn, objectRows);
            objectsIn.endCopy();
            objectsIn = null;
            pendingMembers.add(memberRows.toString());
            membersIn = copy.copyIn("copy bench_check.members from stdin");
            for (String chunk : pendingMembers) {
                byte[] bytes = chunk.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                membersIn.writeToCopy(bytes, 0, bytes.length);
            }
            membersIn.endCopy();
        } finally {
            if (objectsIn != null && objectsIn.isActive()) {
                objectsIn.cancelCopy();
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("analyze bench_check.objects");
            s.execute("analyze bench_check.members");
        }
        return new long[] {objects, links};
    }

    private static void write(CopyIn in, StringBuilder rows) throws SQLException {
        byte[] bytes = rows.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        rows.setLength(0);
    }

    /** COPY's text format: backslash, tab, newline and carriage return escaped. */
    private static String escape(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static long count(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                q.setString(i + 1, params[i]);
            }
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> rows(Connection c, String sql, String prefix, String tenant) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, tenant);
            try (ResultSet rs = q.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder b = new StringBuilder(prefix);
                    for (int i = 1; i <= n; i++) {
                        b.append(i > 1 ? " | " : "").append(rs.getString(i));
                    }
                    out.add(b.toString());
                }
            }
        }
        return out;
    }
}
