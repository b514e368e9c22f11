package dev.idsync.directory.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.events.RemovalReason;
import dev.idsync.events.SyncEvent;
import dev.idsync.infra.IdsyncTopics;
import dev.idsync.infra.KafkaTopics;
import dev.idsync.infra.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The promise of the compacted topics (DESIGN.md): a subscriber that reads them from offset 0 on any day
 * ends in the current state, also after the broker has thrown superseded records away. Topics of this test's
 * own, compacted with small segments (local-infra's fast compaction), so the cleaner runs within seconds.
 */
class CompactionTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int BURSTS = 8;
    private static final List<String> USERS = List.of("u0", "u1", "u2", "u3", "u4");

    private final TenantEvents t = new TenantEvents();

    @Test
    void a_fresh_client_reading_compacted_topics_from_offset_0_ends_in_the_same_state_as_one_that_read_every_record()
            throws Exception {
        DirectoryTopics topics = createCompactedTopics("compaction-" + UUID.randomUUID());
        DirectoryClientConfig config = DirectoryClientConfig.of(TestKafka.bootstrap()).withTopics(topics)
                .withTenants(t.tenant);
        int written = 0;
        int membershipsWritten = 0;
        try (DirectoryClient follower = DirectoryClient.bootstrap(config, WAIT)) {
            // Many updates of few keys, in bursts further apart than segment.ms: every burst closes the
            // segments of the one before, which the cleaner may then compact.
            for (int burst = 0; burst < BURSTS; burst++) {
                List<SyncEvent> users = new ArrayList<>();
                List<SyncEvent> memberships = new ArrayList<>();
                for (int round = 0; round < 10; round++) {
                    for (String user : USERS) {
                        users.add(t.user(user, Map.of("displayName", user + " v" + burst + "." + round)));
                        memberships.add((burst + round) % 2 == 0 ? t.member("g1", user) : t.memberRemoved("g1", user));
                    }
                }
                if (burst == BURSTS - 1) {
                    users.add(t.userRemoved("u4", RemovalReason.HARD_DELETED, null));
                    memberships.add(t.memberRemoved("g1", "u4"));
                }
                TestKafka.publishTo(topics.users(), users);
                TestKafka.publishTo(topics.memberships(), memberships);
                written += users.size();
                membershipsWritten += memberships.size();
                Thread.sleep(IdsyncTopics.FAST_SEGMENT_MS + 150);
            }
            // One more record per partition-ish: rolls the last burst's segments too.
            TestKafka.publishTo(topics.users(), List.of(t.user("u5", Map.of("displayName", "u5"))));
            written++;
            follower.catchUp(WAIT);

            int usersWritten = written;
            int membershipRecords = membershipsWritten;
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(TestKafka.recordsIn(topics.users())).as("records left of %d on the users topic", usersWritten)
                        .isLessThan(usersWritten / 2);
                assertThat(TestKafka.recordsIn(topics.memberships()))
                        .as("records left of %d on the memberships topic", membershipRecords)
                        .isLessThan(membershipRecords / 2);
            });

            RecordingListener freshCalls = new RecordingListener();
            try (DirectoryClient fresh = DirectoryClient.bootstrap(config.withListener(freshCalls), WAIT)) {
                DirectoryReplica expected = follower.replica();
                DirectoryReplica actual = fresh.replica();

                assertThat(actual.users(t.tenant)).isEqualTo(expected.users(t.tenant));
                assertThat(actual.memberships(t.tenant)).isEqualTo(expected.memberships(t.tenant));
                // And that state is the last word of each key.
                assertThat(actual.users(t.tenant)).hasSize(6);
                assertThat(actual.user(t.tenant, "u3").orElseThrow().attributes())
                        .containsEntry("displayName", "u3 v" + (BURSTS - 1) + ".9");
                assertThat(actual.user(t.tenant, "u4").orElseThrow().removalReason()).contains(RemovalReason.HARD_DELETED);
                // Last round of the last burst: (7 + 9) % 2 == 0, so added; u4's removal came after it.
                assertThat(actual.members(t.tenant, "g1")).extracting(Member::memberId)
                        .containsExactlyInAnyOrder("u0", "u1", "u2", "u3");
                // One callback per key, however many records compaction left.
                Set<String> distinct = freshCalls.bootstrapCalls().stream().collect(Collectors.toSet());
                assertThat(freshCalls.bootstrapCalls()).hasSize(distinct.size()).hasSize(6 + 5);
            }
        }
    }

    private static DirectoryTopics createCompactedTopics(String prefix) {
        DirectoryTopics topics = new DirectoryTopics(prefix + ".users", prefix + ".groups", prefix + ".memberships",
                prefix + ".roles", prefix + ".role-assignments");
        List<TopicSpec> specs = topics.toRead(true).stream()
                .map(name -> new TopicSpec(name, IdsyncTopics.PARTITIONS, IdsyncTopics.compactedConfig(true)))
                .toList();
        KafkaTopics.create(TestKafka.bootstrap(), specs);
        // Created is not yet visible to every client: the start of a client would find no partitions.
        await().atMost(WAIT).untilAsserted(() -> assertThat(TestKafka.partitionsOf(topics.toRead(true))).isPositive());
        return topics;
    }
}
