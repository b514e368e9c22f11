package dev.idsync.poller.support;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleMemberRemoved;
import dev.idsync.events.DirectoryRoleRemoved;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupRemoved;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A tenant's directory as a consumer of the observations would hold it: users and groups with their selected
 * attributes, soft-deleted users and groups, memberships, directory roles and their members. Built either by
 * folding the observations in order (an upsert merges the attributes it carries, absent ones keep their
 * value), or from the emulator's snapshot, so the two can be compared.
 */
public record DirectoryView(Map<String, Map<String, Object>> users, Set<String> deletedUsers,
                            Map<String, Map<String, Object>> groups, Set<String> deletedGroups,
                            Map<String, Set<String>> members, Map<String, Map<String, Object>> roles,
                            Map<String, Set<String>> roleMembers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static DirectoryView fold(Collection<SyncEvent> events) {
        DirectoryView v = empty();
        events.forEach(v::apply);
        return v.tidied();
    }

    private static DirectoryView empty() {
        return new DirectoryView(new TreeMap<>(), new TreeSet<>(), new TreeMap<>(), new TreeSet<>(), new TreeMap<>(),
                new TreeMap<>(), new TreeMap<>());
    }

    /** One observation, as a consumer applies it. */
    private void apply(SyncEvent e) {
        switch (e) {
            case UserUpserted u -> {
                merge(users.computeIfAbsent(u.objectId(), k -> new TreeMap<>()), u.data());
                deletedUsers.remove(u.objectId());
            }
            case UserRemoved r -> {
                users.remove(r.objectId());
                if (r.data().reason() == RemovalReason.SOFT_DELETED) {
                    deletedUsers.add(r.objectId());
                } else {
                    deletedUsers.remove(r.objectId());
                }
            }
            case GroupUpserted g -> {
                merge(groups.computeIfAbsent(g.objectId(), k -> new TreeMap<>()), g.data());
                deletedGroups.remove(g.objectId());
            }
            case GroupRemoved r -> {
                groups.remove(r.objectId());
                members.remove(r.objectId());
                if (r.data().reason() == RemovalReason.SOFT_DELETED) {
                    deletedGroups.add(r.objectId());
                } else {
                    deletedGroups.remove(r.objectId());
                }
            }
            case MembershipAdded m -> members.computeIfAbsent(m.groupId(), k -> new TreeSet<>()).add(m.data().memberId());
            case MembershipRemoved m -> members.computeIfAbsent(m.groupId(), k -> new TreeSet<>()).remove(m.data().memberId());
            case DirectoryRoleUpserted r -> merge(roles.computeIfAbsent(r.objectId(), k -> new TreeMap<>()), r.data());
            case DirectoryRoleRemoved r -> {
                roles.remove(r.objectId());
                roleMembers.remove(r.objectId());
            }
            case DirectoryRoleMemberAdded m -> roleMembers.computeIfAbsent(m.roleId(), k -> new TreeSet<>()).add(m.data().memberId());
            case DirectoryRoleMemberRemoved m -> roleMembers.computeIfAbsent(m.roleId(), k -> new TreeSet<>()).remove(m.data().memberId());
            default -> { }
        }
    }

    private DirectoryView tidied() {
        members.values().removeIf(Set::isEmpty);
        roleMembers.values().removeIf(Set::isEmpty);
        // Soft-deleted groups keep their members in Graph, but no consumer tracks them: compare active ones.
        members.keySet().retainAll(groups.keySet());
        return this;
    }

    /**
     * As {@link #fold}, and at every {@code syncrun.completed} a consumer's sweep: for each resource the run
     * names in {@code initialRounds}, the objects (and memberships) last seen in an older epoch than the
     * run's are gone, since an initial round reports every live object and no deletions (DESIGN.md,
     * epochs). What delta-processor does with a full sync, reduced to what the observations say.
     */
    public static DirectoryView foldSweeping(Collection<SyncEvent> events) {
        DirectoryView v = empty();
        Map<String, Long> seen = new java.util.HashMap<>();
        for (SyncEvent e : events) {
            switch (e) {
                case UserUpserted u -> seen.put("user:" + u.objectId(), u.epoch());
                case GroupUpserted g -> seen.put("group:" + g.objectId(), g.epoch());
                case DirectoryRoleUpserted r -> seen.put("role:" + r.objectId(), r.epoch());
                case MembershipAdded m -> seen.put("member:" + m.groupId() + ":" + m.data().memberId(), m.epoch());
                case DirectoryRoleMemberAdded m -> seen.put("roleMember:" + m.roleId() + ":" + m.data().memberId(),
                        m.epoch());
                default -> { }
            }
            v.apply(e);
            if (e instanceof SyncRunCompleted completed) {
                long epoch = completed.epoch();
                java.util.function.Predicate<String> older = key -> seen.getOrDefault(key, Long.MIN_VALUE) < epoch;
                List<String> rounds = completed.data().initialRounds();
                if (rounds.contains("users")) {
                    v.users.keySet().removeIf(id -> older.test("user:" + id));
                }
                if (rounds.contains("groups")) {
                    v.groups.keySet().removeIf(id -> older.test("group:" + id));
                    v.members.forEach((group, ids) -> ids.removeIf(id -> older.test("member:" + group + ":" + id)));
                }
                if (rounds.contains("directoryRoles")) {
                    v.roles.keySet().removeIf(id -> older.test("role:" + id));
                    v.roleMembers.forEach((role, ids) -> ids.removeIf(id -> older.test("roleMember:" + role + ":" + id)));
                }
            }
        }
        return v.tidied();
    }

    /** The emulator's snapshot, restricted to the attributes the poller selects. */
    public static DirectoryView fromSnapshot(JsonNode snapshot, List<String> userSelect, List<String> groupSelect,
                                             List<String> roleSelect) {
        var v = new DirectoryView(new TreeMap<>(), new TreeSet<>(), new TreeMap<>(), new TreeSet<>(), new TreeMap<>(),
                new TreeMap<>(), new TreeMap<>());
        for (JsonNode u : snapshot.path("users")) {
            v.users.put(u.path("id").asText(), selected(u, userSelect));
        }
        snapshot.path("deletedUsers").forEach(u -> v.deletedUsers.add(u.path("id").asText()));
        for (JsonNode g : snapshot.path("groups")) {
            String id = g.path("id").asText();
            v.groups.put(id, selected(g, groupSelect));
            Set<String> m = new TreeSet<>();
            g.path("members").forEach(x -> m.add(x.asText()));
            if (!m.isEmpty()) {
                v.members.put(id, m);
            }
        }
        snapshot.path("deletedGroups").forEach(g -> v.deletedGroups.add(g.path("id").asText()));
        for (JsonNode r : snapshot.path("directoryRoles")) {
            String id = r.path("id").asText();
            v.roles.put(id, selected(r, roleSelect));
            Set<String> m = new TreeSet<>();
            r.path("members").forEach(x -> m.add(x.asText()));
            if (!m.isEmpty()) {
                v.roleMembers.put(id, m);
            }
        }
        return v;
    }

    private static Map<String, Object> selected(JsonNode object, List<String> select) {
        Map<String, Object> all = JSON.convertValue(object, new TypeReference<LinkedHashMap<String, Object>>() { });
        Map<String, Object> result = new TreeMap<>();
        for (String name : select) {
            if (!name.equals("id") && !name.equals("members") && all.get(name) != null) {
                result.put(name, all.get(name));
            }
        }
        return result;
    }

    /**
     * An absent attribute keeps its value; a null one means "empty" (cleared, or never set), which the snapshot
     * shows as absent.
     */
    private static void merge(Map<String, Object> object, Map<String, Object> data) {
        data.forEach((name, value) -> {
            if (value == null) {
                object.remove(name);
            } else {
                object.put(name, value);
            }
        });
    }

    /** Up to 10 readable differences to {@code expected}, empty when equal. */
    public List<String> differencesTo(DirectoryView expected) {
        List<String> out = new java.util.ArrayList<>();
        diff("user", users, expected.users, out);
        diff("deleted user", toMap(deletedUsers), toMap(expected.deletedUsers), out);
        diff("group", groups, expected.groups, out);
        diff("deleted group", toMap(deletedGroups), toMap(expected.deletedGroups), out);
        diff("members of group", members, expected.members, out);
        diff("role", roles, expected.roles, out);
        diff("members of role", roleMembers, expected.roleMembers, out);
        return out.size() > 10 ? out.subList(0, 10) : out;
    }

    private static Map<String, Boolean> toMap(Set<String> ids) {
        Map<String, Boolean> m = new TreeMap<>();
        ids.forEach(id -> m.put(id, true));
        return m;
    }

    private static <V> void diff(String what, Map<String, V> actual, Map<String, V> expected, List<String> out) {
        Set<String> keys = new TreeSet<>(actual.keySet());
        keys.addAll(expected.keySet());
        for (String key : keys) {
            V a = actual.get(key);
            V e = expected.get(key);
            if (!java.util.Objects.equals(a, e)) {
                out.add(what + " " + key + ": published " + a + " but Graph has " + e);
            }
        }
    }

    public int membershipCount() {
        return members.values().stream().mapToInt(Set::size).sum();
    }
}
