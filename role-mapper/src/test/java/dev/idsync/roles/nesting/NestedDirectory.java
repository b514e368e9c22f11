package dev.idsync.roles.nesting;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorControl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One directory state written to both sources role-mapper learns from: the emulator (whose ID tokens carry
 * the transitive {@code groups} claim, as Entra's do) and the public directory topics (what delta-processor
 * publishes). Also answers, independently of role-mapper, which groups a user is in directly or through nesting.
 */
final class NestedDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String tenant;
    private final Instant at;
    private final Map<String, String> groups = new LinkedHashMap<>();
    private final List<String> users = new ArrayList<>();
    /** member → groups it is a direct member of (users and groups). */
    private final Map<String, Set<String>> memberOf = new HashMap<>();
    private final List<String[]> edges = new ArrayList<>();

    NestedDirectory(String tenant, Instant at) {
        this.tenant = tenant;
        this.at = at;
    }

    NestedDirectory group(String id, String name) {
        groups.put(id, name);
        return this;
    }

    NestedDirectory user(String id) {
        users.add(id);
        return this;
    }

    /** {@code member} (a user or a group of this directory) joins {@code group}. */
    NestedDirectory member(String group, String member) {
        if (memberOf.computeIfAbsent(member, k -> new HashSet<>()).add(group)) {
            edges.add(new String[] {group, member});
        }
        return this;
    }

    List<String> users() {
        return users;
    }

    /** The groups {@code member} is in, directly or through nesting (what Entra's groups claim lists). */
    Set<String> transitiveGroups(String member) {
        Set<String> found = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(memberOf.getOrDefault(member, Set.of()));
        while (!todo.isEmpty()) {
            String group = todo.poll();
            if (found.add(group)) {
                todo.addAll(memberOf.getOrDefault(group, Set.of()));
            }
        }
        return found;
    }

    Set<String> directGroups(String member) {
        return new TreeSet<>(memberOf.getOrDefault(member, Set.of()));
    }

    String name(String group) {
        return groups.get(group);
    }

    /** The events delta-processor would publish for this state: groups, users, then every membership. */
    List<SyncEvent> events() {
        List<SyncEvent> events = new ArrayList<>();
        groups.forEach((id, name) -> events.add(new GroupUpserted(tenant, id, "run-nested", 0, at, Map.of("displayName", name))));
        for (String user : users) {
            Map<String, Object> data = new HashMap<>();
            data.put("displayName", "Nested " + user);
            data.put("accountEnabled", true);
            events.add(new UserUpserted(tenant, user, "run-nested", 0, at, data));
        }
        for (String[] edge : edges) {
            events.add(MembershipAdded.of(tenant, edge[0], "run-nested", 0, at, edge[1],
                    groups.containsKey(edge[1]) ? MemberType.GROUP : MemberType.USER));
        }
        return events;
    }

    /** Creates the same groups, users and memberships in the emulator's tenant, in one request. */
    void createInEmulator(EmulatorControl control) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode ops = body.putArray("operations");
        groups.forEach((id, name) -> {
            ObjectNode op = ops.addObject().put("op", "createGroup").put("id", id);
            op.putObject("properties").put("displayName", name).put("securityEnabled", true).put("mailEnabled", false)
                    .put("mailNickname", "g" + id.substring(0, 8));
        });
        for (String user : users) {
            ObjectNode op = ops.addObject().put("op", "createUser").put("id", user);
            op.putObject("properties").put("displayName", "Nested " + user).put("accountEnabled", true)
                    .put("userPrincipalName", user + "@" + tenant + ".example").put("mailNickname", "u" + user.substring(0, 8));
        }
        for (String[] edge : edges) {
            ops.addObject().put("op", "addMember").put("groupId", edge[0]).put("memberId", edge[1]);
        }
        control.post("/_emulator/tenants/" + tenant + "/mutations", body.toString());
    }
}
