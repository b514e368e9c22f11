package dev.idsync.systemtests.topics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.directory.client.DirectoryClient;
import dev.idsync.directory.client.DirectoryClientConfig;
import dev.idsync.directory.client.DirectoryReplica;
import dev.idsync.directory.client.RoleGrant;
import dev.idsync.systemtests.directory.DecidedDirectory;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.ApiClient;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The subscriber docs/DESIGN.md promises ("a subscriber that reads them from offset 0 on any day ends in
 * the store's state"): a {@code directory-client} replica of the public topics only — the four directory
 * topics and the role assignments, every tenant — and its comparison with what idsync holds.
 *
 * <p><b>Caught up</b> is well defined here: an attempt first requires both outboxes to be empty (every
 * change delta-processor and role-mapper committed so far is acknowledged by Kafka), then reads the replica
 * up to the topics' end offsets of that moment ({@link DirectoryClient#catchUp}), then reads the store. If
 * the services were still working in between, the attempt finds differences and the next one repeats it
 * ({@link Eventually}); a difference that stays is a real one.
 */
public final class ReferenceSubscriber implements AutoCloseable {

    /** Up to this many users a tenant has, role-mapper is asked about each; beyond it, about an even sample. */
    private static final int ALL_USERS_UP_TO = 600;
    private static final int SAMPLE = 300;
    private static final Duration CATCH_UP = Duration.ofMinutes(2);

    private static ReferenceSubscriber shared;

    private final Stack stack;
    private final DirectoryClient client;

    private ReferenceSubscriber(Stack stack, DirectoryClient client) {
        this.stack = stack;
        this.client = client;
    }

    /** The one replica of the run, bootstrapped on first use and followed from then on. */
    public static synchronized ReferenceSubscriber shared(Stack stack) {
        if (shared == null) {
            shared = fresh(stack);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "system-tests-reference-subscriber"));
        }
        return shared;
    }

    /** A new replica from offset 0 (bootstrapped before this returns); the caller closes it. */
    public static ReferenceSubscriber fresh(Stack stack) {
        DirectoryClientConfig config = DirectoryClientConfig.of(stack.bootstrapServers()).withRoleAssignments();
        return new ReferenceSubscriber(stack, DirectoryClient.bootstrap(config, CATCH_UP));
    }

    public DirectoryReplica replica() {
        return client.replica();
    }

    /** Everything published before the call is in the replica. */
    public void catchUp() {
        client.catchUp(CATCH_UP);
    }

    /** Until the outboxes are empty and the replica then equals the store, users, groups, roles and memberships. */
    public Duration awaitDirectoryAgrees(String tenantId, Duration atMost) {
        DirectoryStore store = new DirectoryStore(stack, tenantId);
        return Eventually.noDifferences("the reference subscriber's replica of " + tenantId + " against the store",
                () -> directoryDifferences(store, tenantId), atMost);
    }

    /** Until every compared user's roles in the replica (fold of the role-assignment topic) equal role-mapper's answer. */
    public Duration awaitRolesAgree(String tenantId, Tokens tokens, Duration atMost) {
        List<String> users = usersToCompare(new DirectoryStore(stack, tenantId).userIds());
        ApiClient reader = new ApiClient(stack.url(Stack.ROLE_MAPPER), tokens.reader());
        return Eventually.noDifferences("roles of " + users.size() + " users of " + tenantId
                + " in the reference subscriber's replica against role-mapper's API", () -> roleDifferences(reader, tenantId, users), atMost);
    }

    /** Empty when the replica holds exactly what the store decided for the tenant (after {@link #catchUp}). */
    public List<String> directoryDifferences(DirectoryStore store, String tenantId) {
        long pending = DirectoryStore.outboxPending(stack);
        if (pending > 0) {
            return List.of("delta-processor's outbox still holds " + pending + " events not acknowledged by Kafka");
        }
        catchUp();
        return DecidedDirectory.fromReplica(replica(), tenantId).differencesTo(store.decided(), "the replica", "the store", 20);
    }

    /** Empty when, for each user, the replica's role grants are exactly the assignments role-mapper's API lists. */
    public List<String> roleDifferences(ApiClient reader, String tenantId, Collection<String> users) {
        long pending = DirectoryStore.roleOutboxPending(stack);
        if (pending > 0) {
            return List.of("role-mapper's outbox still holds " + pending + " events not acknowledged by Kafka");
        }
        catchUp();
        List<String> out = new ArrayList<>();
        for (String user : users) {
            Set<String> folded = new TreeSet<>();
            for (RoleGrant g : replica().roles(tenantId, user)) {
                folded.add(key(g.role(), g.source().json(), g.groupId(), g.accessLevel()));
            }
            ApiClient.Response answer = reader.get("/api/tenants/" + tenantId + "/users/" + user + "/roles");
            if (answer.status() != 200) {
                out.add("user " + user + ": role-mapper answered " + answer.status() + " " + answer.text() + "; the replica has " + folded);
            } else if (!assignments(answer.body()).equals(folded)) {
                out.add("user " + user + ": the replica has " + folded + " but role-mapper " + assignments(answer.body()));
            }
            if (out.size() >= 20) {
                break;
            }
        }
        return out;
    }

    /**
     * Every assignment role-mapper lists for the user, effective or not (a removed user's manual roles stay,
     * reported inactive, and stay granted on the topic), as {@code role|source|groupId|accessLevel}.
     */
    public static Set<String> assignments(JsonNode answer) {
        Set<String> keys = new TreeSet<>();
        for (JsonNode role : answer.path("roles")) {
            for (JsonNode a : role.path("assignments")) {
                keys.add(key(role.path("role").asText(), a.path("source").asText(), text(a.path("groupId")), text(a.path("accessLevel"))));
            }
        }
        return keys;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static String key(String role, String source, String groupId, String accessLevel) {
        return role + "|" + source + "|" + (groupId == null ? "" : groupId) + "|" + (accessLevel == null ? "" : accessLevel);
    }

    /** All users of a small tenant; of a large one an even sample of sorted ids (deterministic). */
    static List<String> usersToCompare(List<String> sortedUserIds) {
        if (sortedUserIds.size() <= ALL_USERS_UP_TO) {
            return sortedUserIds;
        }
        List<String> sample = new ArrayList<>();
        int step = sortedUserIds.size() / SAMPLE;
        for (int i = 0; i < sortedUserIds.size() && sample.size() < SAMPLE; i += step) {
            sample.add(sortedUserIds.get(i));
        }
        return sample;
    }

    @Override
    public void close() {
        client.close();
    }
}
