package dev.idsync.systemtests.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What role-mapper's API says about users' roles ({@code GET /api/tenants/{t}/users/{id}/roles}, reader token). */
public final class RoleMapperRoles {

    /** The default role every active user holds: federated, without a group. */
    public static final String DEFAULT = "User|federated|";

    private final ApiClient reader;
    private final String tenantId;

    public RoleMapperRoles(Stack stack, Tokens tokens, String tenantId) {
        this.reader = new ApiClient(stack.url(Stack.ROLE_MAPPER), tokens.reader());
        this.tenantId = tenantId;
    }

    /**
     * The roles role-mapper must give each user by the tenant's groups in Entra ({@code App-<name>-<role>},
     * as {@code role|federated|groupId}), derived from the emulator's snapshot; the default role aside.
     */
    public static Map<String, Set<String>> appGroupRoles(JsonNode snapshot, ScenarioTenant tenant) {
        String prefix = "App-" + tenant.displayName() + "-";
        Map<String, Set<String>> roles = new HashMap<>();
        snapshot.path("groups").forEach(g -> {
            String name = g.path("displayName").asText();
            if (name.startsWith(prefix)) {
                g.path("members").forEach(m -> roles.computeIfAbsent(m.asText(), k -> new TreeSet<>())
                        .add(name.substring(prefix.length()) + "|federated|" + g.path("id").asText()));
            }
        });
        return roles;
    }

    /** role-mapper's answer; for a user it does not know (404, e.g. not yet read) {@code userState} says so. */
    public JsonNode answer(String userId) {
        ApiClient.Response response = reader.get("/api/tenants/" + tenantId + "/users/" + userId + "/roles");
        if (response.status() == 404) {
            return JsonNodeFactory.instance.objectNode().put("userState", "unknown to role-mapper (404)");
        }
        return response.expect(200).body();
    }

    /** The user's effective roles ({@code active}) as {@code role|source|groupId}. */
    public Set<String> effective(String userId) {
        return effective(answer(userId));
    }

    /** The effective roles ({@code active}) of a role-mapper answer as {@code role|source|groupId}. */
    public static Set<String> effective(JsonNode answer) {
        Set<String> keys = new TreeSet<>();
        for (JsonNode role : answer.path("roles")) {
            if (!role.path("active").asBoolean(true)) {
                continue;
            }
            for (JsonNode a : role.path("assignments")) {
                keys.add(role.path("role").asText() + "|" + a.path("source").asText() + "|"
                        + (a.path("groupId").isTextual() ? a.path("groupId").asText() : ""));
            }
        }
        return keys;
    }

    /** Differences: each user must be shown {@code removed} without any effective role. */
    public List<String> removedWithoutRoles(Collection<String> userIds) {
        List<String> out = new ArrayList<>();
        for (String user : userIds) {
            JsonNode answer = answer(user);
            if (!"removed".equals(answer.path("userState").asText()) || !effective(answer).isEmpty()) {
                out.add("role-mapper shows " + user + " as " + answer.path("userState").asText() + " with " + effective(answer));
            }
        }
        return out;
    }

    /** Differences: each user must be shown {@code active} with exactly the expected effective roles. */
    public List<String> activeWith(Collection<String> userIds, java.util.function.Function<String, Set<String>> expected) {
        List<String> out = new ArrayList<>();
        for (String user : userIds) {
            JsonNode answer = answer(user);
            if (!"active".equals(answer.path("userState").asText()) || !effective(answer).equals(expected.apply(user))) {
                out.add("role-mapper shows " + user + " as " + answer.path("userState").asText() + " with " + effective(answer)
                        + " instead of active with " + expected.apply(user));
            }
        }
        return out;
    }
}
