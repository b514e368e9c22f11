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
        var v = new DirectoryView(new TreeMap<>(), new TreeSet<>(), new TreeMap<>(), new TreeSet<>(), new TreeMap<>(),
                new TreeMap<>(), new TreeMap<>());
        for (SyncEvent e : events) {
            switch (e) {
                case UserUpserted u -> {
                    merge(v.users.computeIfAbsent(u.objectId(), k -> new TreeMap<>()), u.data());
                    v.deletedUsers.remove(u.objectId());
                }
                case UserRemoved r -> {
                    v.users.remove(r.objectId());
                    if (r.data().reason() == RemovalReason.SOFT_DELETED) {
                        v.deletedUsers.add(r.objectId());
                    } else {
                        v.deletedUsers.remove(r.objectId());
                    }
                }
                case GroupUpserted g -> {
                    merge(v.groups.computeIfAbsent(g.objectId(), k -> new TreeMap<>()), g.data());
                    v.deletedGroups.remove(g.objectId());
                }
                case GroupRemoved r -> {
                    v.groups.remove(r.objectId());
                    v.members.remove(r.objectId());
                    if (r.data().reason() == RemovalReason.SOFT_DELETED) {
                        v.deletedGroups.add(r.objectId());
                    } else {
                        v.deletedGroups.remove(r.objectId());
                    }
                }
                case MembershipAdded m -> v.members.computeIfAbsent(m.groupId(), k -> new TreeSet<>()).add(m.data().memberId());
                case MembershipRemoved m -> v.members.computeIfAbsent(m.groupId(), k -> new TreeSet<>()).remove(m.data().memberId());
                case DirectoryRoleUpserted r -> merge(v.roles.computeIfAbsent(r.objectId(), k -> new TreeMap<>()), r.data());
                case DirectoryRoleRemoved r -> {
                    v.roles.remove(r.objectId());
                    v.roleMembers.remove(r.objectId());
                }
                case DirectoryRoleMemberAdded m -> v.roleMembers.computeIfAbsent(m.roleId(), k -> new TreeSet<>()).add(m.data().memberId());
                case DirectoryRoleMemberRemoved m -> v.roleMembers.computeIfAbsent(m.roleId(), k -> new TreeSet<>()).remove(m.data().memberId());
                default -> { }
            }
        }
        v.members.values().removeIf(Set::isEmpty);
        v.roleMembers.values().removeIf(Set::isEmpty);
        // Soft-deleted groups keep their members in Graph, but no consumer tracks them: compare active ones.
        v.members.keySet().retainAll(v.groups.keySet());
        return v;
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
