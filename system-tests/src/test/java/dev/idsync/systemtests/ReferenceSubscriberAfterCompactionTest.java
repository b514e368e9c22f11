package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.events.Topics;
import dev.idsync.infra.IdsyncTopics;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import dev.idsync.systemtests.topics.ReferenceSubscriber;
import dev.idsync.systemtests.topics.ReferenceSubscriberCheck;
import dev.idsync.systemtests.topics.TopicRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DESIGN: "a subscriber that reads them from offset 0 on any day ends in the store's state" — also after
 * Kafka compacted the public topics, i.e. after it threw away every record but each key's last. The run's
 * compacted topics get local-infra's fast compaction (small segments, an eager cleaner) for this last
 * scenario; a tenant of its own changes the same users and memberships round after round until the
 * broker has removed their superseded records; then a fresh replica from offset 0 equals the store for
 * every tenant the run synced, and role-mapper for this tenant's users.
 */
@Order(30)
@ExtendWith(ReferenceSubscriberCheck.class)
class ReferenceSubscriberAfterCompactionTest {

    private static final Duration SETTLE = Duration.ofMinutes(2);
    private static final int ROUNDS = 6;

    @Test
    void a_fresh_subscriber_from_offset_0_after_compaction_ends_in_the_store_of_every_tenant() throws Exception {
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        SyncRuns runs = new SyncRuns(stack, tokens);
        compactFast(stack);
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.COMPACTION);
        tenant.seed(60, 4, 120, 1);
        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        runs.runToCompletion(tenant.id(), "{}", SETTLE);
        converge(tenant, store);

        // The same ten users retitled and the same membership flipped in every round: many records per key.
        List<String> users = StreamSupport.stream(tenant.snapshot().path("users").spliterator(), false)
                .filter(u -> u.path("accountEnabled").asBoolean()).map(u -> u.path("id").asText()).limit(10).toList();
        String group = tenant.snapshot().path("groups").get(0).path("id").asText();
        String flipping = users.get(0);
        boolean member = tenant.snapshot().path("groups").get(0).path("members").toString().contains(flipping);
        for (int round = 1; round <= ROUNDS; round++) {
            SyncRuns.awaitNextSecond();
            List<Map<String, Object>> ops = new ArrayList<>();
            for (String id : users) {
                ops.add(Map.of("op", "updateUser", "id", id, "properties", Map.of("jobTitle", "Round " + round)));
            }
            ops.add(Map.of("op", member ? "removeMember" : "addMember", "groupId", group, "memberId", flipping));
            member = !member;
            tenant.mutate(ops);
            runs.runToCompletion(tenant.id(), "{}", SETTLE);
            converge(tenant, store);
        }
        ReferenceSubscriber.shared(stack).awaitDirectoryAgrees(tenant.id(), SETTLE);

        // Compaction ran: of each changed key's ROUNDS + 1 records, at most the last two are left (the last
        // round's may still sit in the active segment, which is never cleaned).
        Set<String> keys = new TreeSet<>();
        users.forEach(id -> keys.add(tenant.id() + ":" + id));
        String membershipKey = tenant.id() + ":" + group + ":" + flipping;
        Duration compacted = Eventually.noDifferences("compaction of the changed keys", () -> {
            List<String> out = new ArrayList<>();
            recordsPerKey(stack, List.of(Topics.USERS), keys).forEach((key, n) -> {
                if (n > 2) {
                    out.add(key + " has " + n + " records on " + Topics.USERS);
                }
            });
            int memberships = recordsPerKey(stack, List.of(Topics.MEMBERSHIPS), Set.of(membershipKey)).getOrDefault(membershipKey, 0);
            if (memberships > 2) {
                out.add(membershipKey + " has " + memberships + " records on " + Topics.MEMBERSHIPS);
            }
            return out;
        }, SETTLE);
        long[] left = recordsAndOffsets(stack, Topics.COMPACTED);

        // A fresh subscriber from offset 0: every tenant of the run as the store holds it.
        Instant t1 = Instant.now();
        Set<String> tenants = DirectoryStore.tenants(stack);
        try (ReferenceSubscriber fresh = ReferenceSubscriber.fresh(stack)) {
            Duration bootstrapped = Duration.between(t1, Instant.now());
            for (String id : tenants) {
                fresh.awaitDirectoryAgrees(id, SETTLE);
            }
            fresh.awaitRolesAgree(tenant.id(), tokens, SETTLE);
            assertThat(fresh.replica().tenants()).containsAll(tenants);
            Timings.report("compaction", ("compacted %d ms after the last of %d rounds: %d of %d records left on the compacted topics;"
                    + " a fresh replica bootstrapped in %d ms and equals the store for all %d tenants (%d ms in all)")
                    .formatted(compacted.toMillis(), ROUNDS, left[0], left[1], bootstrapped.toMillis(), tenants.size(),
                            Duration.between(t1, Instant.now()).toMillis()));
        }
    }

    /**
     * local-infra's fast compaction for the compacted topics from now on (segments roll after 200 ms, the
     * cleaner takes a log whose dirty share exceeds 1 %), plus {@code max.compaction.lag.ms}: by the time this
     * scenario runs, each log's head holds the earlier scenarios' thousands of distinct keys, so a few rounds
     * of changes stay below 1 % of it and the dirty ratio alone would never pick the log (seen: the users
     * partitions cleaned once up to the first roll, then never again). A maximum lag makes the cleaner
     * compact any segment older than it regardless of the ratio, as a production topic would set it too.
     */
    private static void compactFast(Stack stack) throws ExecutionException, InterruptedException {
        Map<String, String> config = new HashMap<>(IdsyncTopics.compactedConfig(true));
        config.put("max.compaction.lag.ms", "1000");
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        for (String topic : Topics.COMPACTED) {
            List<AlterConfigOp> ops = config.entrySet().stream()
                    .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList();
            changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.incrementalAlterConfigs(changes).all().get();
        }
    }

    private static void converge(EmulatorTenant tenant, DirectoryStore store) {
        DirectoryState entra = DirectoryState.fromSnapshot(tenant.snapshot());
        Eventually.noDifferences("store of " + tenant.id(), () -> store.read().differencesTo(entra, 20), SETTLE);
    }

    private static Map<String, Integer> recordsPerKey(Stack stack, List<String> topics, Set<String> keys) {
        Map<String, Integer> counts = new HashMap<>();
        TopicRecords.forEach(stack.bootstrapServers(), topics, r -> {
            if (keys.contains(r.key())) {
                counts.merge(r.key(), 1, Integer::sum);
            }
        });
        return counts;
    }

    /**
     * Records left on the topics and the offsets they span (each partition up to its last record): the
     * producers are idempotent, not transactional, so before compaction the two are equal.
     */
    private static long[] recordsAndOffsets(Stack stack, List<String> topics) {
        Map<TopicPartition, Long> next = new HashMap<>();
        long[] records = {0};
        TopicRecords.forEach(stack.bootstrapServers(), topics, r -> {
            records[0]++;
            next.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
        });
        return new long[] {records[0], next.values().stream().mapToLong(Long::longValue).sum()};
    }
}
