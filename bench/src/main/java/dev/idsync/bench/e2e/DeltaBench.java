package dev.idsync.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A follow-up delta on the synced tenant: 1 % of the users changed (their jobTitle) and memberships
 * changed (half removed, half added), made on the emulator through its mutations API, then one delta run
 * started on the poller. From the moment the run is started, the store ({@code directory.objects},
 * {@code directory.memberships}) and role-mapper's own tables ({@code roles.users},
 * {@code roles.group_members}, {@code roles.group_member_removals}) are polled for each changed object until
 * it carries an observation newer than anything before the run (observedAt grows strictly per tenant and
 * resource, the poller's README): that poll's time is the object's latency. Also the single-user case:
 * one user changed, one run, repeated.
 */
final class DeltaBench {

    record Latencies(int objects, int seenInStore, int seenInRoleMapper, double runSeconds, double[] store, double[] roleMapper) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("objects", objects);
            m.put("runSeconds", runSeconds);
            m.put("store", stats(store, seenInStore));
            m.put("roleMapper", stats(roleMapper, seenInRoleMapper));
            return m;
        }

        String line(String what) {
            return String.format("%s: %,d objects, run %.2f s; store p50 %.0f ms p95 %.0f ms max %.0f ms (%,d seen);"
                    + " role-mapper p50 %.0f ms p95 %.0f ms max %.0f ms (%,d seen)", what, objects, runSeconds,
                    pct(store, 50), pct(store, 95), pct(store, 100), seenInStore,
                    pct(roleMapper, 50), pct(roleMapper, 95), pct(roleMapper, 100), seenInRoleMapper);
        }

        private static Map<String, Object> stats(double[] ms, int seen) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seen", seen);
            m.put("p50Ms", pct(ms, 50));
            m.put("p95Ms", pct(ms, 95));
            m.put("maxMs", pct(ms, 100));
            return m;
        }
    }

    private static final long TIMEOUT_NANOS = 10L * 60 * 1_000_000_000L;
    private final Connection db;
    private final PollerRuns runs;
    private final String emulatorUrl;

    DeltaBench(Connection db, PollerRuns runs, String emulatorUrl) {
        this.db = db;
        this.runs = runs;
        this.emulatorUrl = emulatorUrl;
    }

    /** 1 % of the users and {@code membershipChanges} memberships changed, one run. */
    Latencies bulk(int membershipChanges, String stamp) throws SQLException {
        List<String> users = ids("select object_id from directory.objects where tenant_id = ? and kind = 'user'"
                + " and state = 'active' and not placeholder order by object_id");
        List<String> changedUsers = new ArrayList<>();
        for (int i = 0; i < users.size(); i += 100) {
            changedUsers.add(users.get(i));
        }
        List<String[]> removed = pairs("""
                select container_id, member_id from (
                  select container_id, member_id, row_number() over (partition by container_id order by member_id) rn
                  from directory.memberships where tenant_id = ? and present and container_kind = 'group') m
                where rn = 1 order by container_id limit ?""", membershipChanges / 2);
        // Each group from the end of the id order gets one user it does not have yet; the user's rank is
        // computed first so the join is an equality (a hash join, not 10,000 x 100,000 comparisons).
        List<String[]> added = pairs("""
                with u as (select object_id uid, row_number() over (order by object_id) rn from directory.objects
                           where tenant_id = ? and kind = 'user' and state = 'active' and not placeholder),
                     n as (select count(*) c from u),
                     g as (select object_id gid, row_number() over (order by object_id desc) rn from directory.objects
                           where tenant_id = ? and kind = 'group' and state = 'active' and not placeholder),
                     pick as (select g.gid, g.rn, (g.rn * 37) % n.c + 1 as urn from g, n)
                select pick.gid, u.uid from pick join u on u.rn = pick.urn
                where not exists (select 1 from directory.memberships m where m.tenant_id = ? and m.container_id = pick.gid
                                  and m.member_id = u.uid and m.present)
                order by pick.rn limit ?""", membershipChanges - removed.size());
        List<Map<String, Object>> ops = new ArrayList<>();
        changedUsers.forEach(id -> ops.add(Map.of("op", "updateUser", "id", id, "properties", Map.of("jobTitle", "bench " + stamp))));
        removed.forEach(p -> ops.add(Map.of("op", "removeMember", "groupId", p[0], "memberId", p[1])));
        added.forEach(p -> ops.add(Map.of("op", "addMember", "groupId", p[0], "memberId", p[1])));
        return measure(ops, changedUsers, removed, added, 50);
    }

    /** One user changed, one run; {@code n} times, each a separate run. Returns one latency per run. */
    Latencies singleUser(int n, String stamp) throws SQLException {
        List<String> users = ids("select object_id from directory.objects where tenant_id = ? and kind = 'user'"
                + " and state = 'active' and not placeholder order by object_id");
        double[] store = new double[n];
        double[] roles = new double[n];
        double runSeconds = 0;
        int seenStore = 0;
        int seenRoles = 0;
        for (int k = 0; k < n; k++) {
            String id = users.get((k * 97 + 50) % users.size());
            Latencies one = measure(List.of(Map.of("op", "updateUser", "id", id,
                    "properties", Map.of("jobTitle", "single " + stamp + " " + k))), List.of(id), List.of(), List.of(), 10);
            store[k] = one.store().length > 0 ? one.store()[0] : Double.NaN;
            roles[k] = one.roleMapper().length > 0 ? one.roleMapper()[0] : Double.NaN;
            seenStore += one.seenInStore();
            seenRoles += one.seenInRoleMapper();
            runSeconds = Math.max(runSeconds, one.runSeconds());
        }
        return new Latencies(n, seenStore, seenRoles, runSeconds, clean(store), clean(roles));
    }

    private Latencies measure(List<Map<String, Object>> ops, List<String> users, List<String[]> removed,
            List<String[]> added, long pollMillis) throws SQLException {
        Timestamp before = maxObserved();
        Http.post(emulatorUrl + "/_emulator/tenants/" + BenchStack.TENANT + "/mutations", null, Map.of("operations", ops));
        List<String[]> memberships = new ArrayList<>(removed);
        memberships.addAll(added);
        Map<String, Long> store = new HashMap<>();
        Map<String, Long> roleMapper = new HashMap<>();
        int expected = users.size() + memberships.size();
        long t0 = System.nanoTime();
        String runId = runs.startDelta();
        Double runSeconds = null;
        while (store.size() < expected || roleMapper.size() < expected || runSeconds == null) {
            long now = System.nanoTime();
            if (now - t0 > TIMEOUT_NANOS) {
                break;
            }
            if (store.size() < expected) {
                seen(store, now - t0, () -> newer("select object_id from directory.objects where tenant_id = ?"
                        + " and object_id = any(?) and observed_at > ?", users, before));
                seen(store, now - t0, () -> newerPairs("select container_id || ' ' || member_id from directory.memberships"
                        + " where tenant_id = ? and (container_id, member_id) in (select * from unnest(?::text[], ?::text[]))"
                        + " and observed_at > ?", memberships, before));
            }
            if (roleMapper.size() < expected) {
                seen(roleMapper, now - t0, () -> newer("select user_id from roles.users where tenant_id = ?"
                        + " and user_id = any(?) and observed_at > ?", users, before));
                seen(roleMapper, now - t0, () -> newerPairs("select group_id || ' ' || member_id from roles.group_members"
                        + " where tenant_id = ? and (group_id, member_id) in (select * from unnest(?::text[], ?::text[]))"
                        + " and observed_at > ?", added, before));
                seen(roleMapper, now - t0, () -> newerPairs("select group_id || ' ' || member_id from roles.group_member_removals"
                        + " where tenant_id = ? and (group_id, member_id) in (select * from unnest(?::text[], ?::text[]))"
                        + " and observed_at > ?", removed, before));
            }
            if (runSeconds == null) {
                JsonNode run = runs.get(runId);
                if (!"running".equals(run.path("state").asText())) {
                    if (!"completed".equals(run.path("state").asText())) {
                        throw new IllegalStateException("delta run " + runId + " ended " + run);
                    }
                    runSeconds = run.path("durationMillis").asLong() / 1000.0;
                }
            }
            Sleep.millis(pollMillis);
        }
        return new Latencies(expected, store.size(), roleMapper.size(), runSeconds == null ? Double.NaN : runSeconds,
                millis(store), millis(roleMapper));
    }

    private interface Query {
        List<String> run() throws SQLException;
    }

    private static void seen(Map<String, Long> firstSeen, long at, Query query) throws SQLException {
        for (String key : query.run()) {
            firstSeen.putIfAbsent(key, at);
        }
    }

    private List<String> newer(String sql, List<String> ids, Timestamp before) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, BenchStack.TENANT);
            q.setArray(2, db.createArrayOf("text", ids.toArray()));
            q.setTimestamp(3, before);
            return strings(q);
        }
    }

    private List<String> newerPairs(String sql, List<String[]> pairs, Timestamp before) throws SQLException {
        if (pairs.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, BenchStack.TENANT);
            Array containers = db.createArrayOf("text", pairs.stream().map(p -> p[0]).toArray());
            Array members = db.createArrayOf("text", pairs.stream().map(p -> p[1]).toArray());
            q.setArray(2, containers);
            q.setArray(3, members);
            q.setTimestamp(4, before);
            return strings(q);
        }
    }

    private Timestamp maxObserved() throws SQLException {
        try (PreparedStatement q = db.prepareStatement("""
                select greatest((select max(observed_at) from directory.objects where tenant_id = ?),
                                (select max(observed_at) from directory.memberships where tenant_id = ?))""")) {
            q.setString(1, BenchStack.TENANT);
            q.setString(2, BenchStack.TENANT);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1);
            }
        }
    }

    private List<String> ids(String sql) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, BenchStack.TENANT);
            return strings(q);
        }
    }

    private List<String[]> pairs(String sql, int limit) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            int n = q.getParameterMetaData().getParameterCount();
            for (int i = 1; i < n; i++) {
                q.setString(i, BenchStack.TENANT);
            }
            q.setInt(n, limit);
            List<String[]> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            return out;
        }
    }

    private static List<String> strings(PreparedStatement q) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static double[] millis(Map<String, Long> nanos) {
        return nanos.values().stream().mapToDouble(n -> n / 1e6).sorted().toArray();
    }

    private static double[] clean(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    }

    /** Nearest-rank percentile of sorted values; NaN when empty. */
    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
