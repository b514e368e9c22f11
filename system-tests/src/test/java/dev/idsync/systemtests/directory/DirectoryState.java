package dev.idsync.systemtests.directory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.config.SelectDefaults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A tenant's directory in one comparable form, built either from the emulator's snapshot (what Entra
 * holds) or from the processor's {@code directory} schema (what idsync holds): active users, groups and
 * directory roles with their synced attributes, soft-deleted (pending) users and groups, the members of
 * active groups and roles, and unresolved placeholders.
 *
 * <p>An attribute that is null is the same as an absent one (Graph leaves empty ones out of the
 * snapshot; the store keeps the null the delta carried).
 */
public record DirectoryState(Map<String, Map<String, Object>> users, Set<String> pendingUsers,
                             Map<String, Map<String, Object>> groups, Set<String> pendingGroups,
                             Map<String, Map<String, Object>> roles, Map<String, Set<String>> groupMembers,
                             Map<String, Set<String>> roleMembers, Set<String> placeholders) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Local-only attributes the processor derives (org unit from companyName): not Graph's. */
    private static final Set<String> DERIVED = Set.of("id", "orgUnit");

    static DirectoryState empty() {
        return new DirectoryState(new TreeMap<>(), new TreeSet<>(), new TreeMap<>(), new TreeSet<>(), new TreeMap<>(),
                new TreeMap<>(), new TreeMap<>(), new TreeSet<>());
    }

    /** The emulator's snapshot, restricted to the attributes the poller selects by default. */
    public static DirectoryState fromSnapshot(JsonNode snapshot) {
        DirectoryState s = empty();
        for (JsonNode u : snapshot.path("users")) {
            s.users.put(u.path("id").asText(), selected(u, SelectDefaults.USERS));
        }
        snapshot.path("deletedUsers").forEach(u -> s.pendingUsers.add(u.path("id").asText()));
        for (JsonNode g : snapshot.path("groups")) {
            String id = g.path("id").asText();
            s.groups.put(id, selected(g, SelectDefaults.GROUPS));
            s.groupMembers.put(id, ids(g.path("members")));
        }
        snapshot.path("deletedGroups").forEach(g -> s.pendingGroups.add(g.path("id").asText()));
        for (JsonNode r : snapshot.path("directoryRoles")) {
            String id = r.path("id").asText();
            s.roles.put(id, selected(r, SelectDefaults.DIRECTORY_ROLES));
            s.roleMembers.put(id, ids(r.path("members")));
        }
        s.groupMembers.values().removeIf(Set::isEmpty);
        s.roleMembers.values().removeIf(Set::isEmpty);
        return s;
    }

    private static Set<String> ids(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(x -> out.add(x.isObject() ? x.path("id").asText() : x.asText()));
        return out;
    }

    private static Map<String, Object> selected(JsonNode object, List<String> select) {
        Map<String, Object> all = JSON.convertValue(object, new TypeReference<LinkedHashMap<String, Object>>() { });
        Map<String, Object> result = new TreeMap<>();
        for (String name : select) {
            if (!name.equals("members") && !DERIVED.contains(name) && all.get(name) != null) {
                result.put(name, all.get(name));
            }
        }
        return result;
    }

    /** Stored attributes as the comparable form: nulls and locally derived ones dropped. */
    static Map<String, Object> comparable(Map<String, Object> stored) {
        Map<String, Object> result = new TreeMap<>();
        stored.forEach((name, value) -> {
            if (value != null && !DERIVED.contains(name)) {
                result.put(name, value);
            }
        });
        return result;
    }

    public int membershipCount() {
        return groupMembers.values().stream().mapToInt(Set::size).sum();
    }

    /** Every difference to {@code expected} (the first {@code limit} of them, readable), empty when equal. */
    public List<String> differencesTo(DirectoryState expected, int limit) {
        List<String> out = new ArrayList<>();
        diff("user", users, expected.users, out);
        diff("soft-deleted (pending) user", marks(pendingUsers), marks(expected.pendingUsers), out);
        diff("group", groups, expected.groups, out);
        diff("soft-deleted (pending) group", marks(pendingGroups), marks(expected.pendingGroups), out);
        diff("directory role", roles, expected.roles, out);
        diff("members of group", groupMembers, expected.groupMembers, out);
        diff("members of directory role", roleMembers, expected.roleMembers, out);
        diff("unresolved placeholder", marks(placeholders), marks(expected.placeholders), out);
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    public int differenceCount(DirectoryState expected) {
        return differencesTo(expected, Integer.MAX_VALUE).size();
    }

    private static Map<String, Boolean> marks(Set<String> ids) {
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
            if (!Objects.equals(a, e)) {
                out.add(what + " " + key + ": idsync has " + a + " but Entra has " + e);
            }
        }
    }
}
