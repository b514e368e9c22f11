package dev.idsync.roles.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.infra.IdsyncTopics;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.roles.RolesTestSupport;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Membership events on the real public topic (keyed per membership, so one group's members are spread over
 * partitions) shape role-mapper's own table of group members.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class MembershipTopicToGroupMembersTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    // A configured tenant (events of any other are dead-lettered as unknown-tenant); the groups of each test
    // instance are its own, since the broker and the database are shared by all test classes of the JVM.
    private final String tenant = "members"; // idsync-test.yaml
    private final String g = "g" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void added_members_appear_and_removed_members_disappear() {
        RolesTestSupport.publish(bootstrapServers, List.of(
                MembershipAdded.of(tenant, g + "-hr", "run-1", 0, T0, "alice", MemberType.USER),
                MembershipAdded.of(tenant, g + "-hr", "run-1", 0, T0, "bob", MemberType.USER),
                MembershipAdded.of(tenant, g + "-hr", "run-1", 0, T0, g + "-nested", MemberType.GROUP)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(members(g + "-hr")).containsExactly("alice:user", "bob:user", g + "-nested:group"));

        RolesTestSupport.publish(bootstrapServers, List.of(
                MembershipRemoved.of(tenant, g + "-hr", "run-2", 0, T0.plusSeconds(10), "bob", MemberType.USER)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(members(g + "-hr")).containsExactly("alice:user", g + "-nested:group"));
    }

    @Test
    void a_replayed_addition_older_than_the_removal_does_not_bring_the_member_back() {
        var added = MembershipAdded.of(tenant, g + "-sales", "run-1", 0, T0, "carol", MemberType.USER);
        var removed = MembershipRemoved.of(tenant, g + "-sales", "run-2", 0, T0.plusSeconds(10), "carol", MemberType.USER);
        RolesTestSupport.publish(bootstrapServers, List.of(added, removed));
        RolesTestSupport.publish(bootstrapServers, List.of(added,
                MembershipAdded.of(tenant, g + "-sales", "run-2", 0, T0.plusSeconds(10), "dave", MemberType.USER)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(members(g + "-sales")).containsExactly("dave:user"));
    }

    @Test
    void a_member_removed_and_added_again_later_is_back() {
        RolesTestSupport.publish(bootstrapServers, List.of(
                MembershipAdded.of(tenant, g + "-it", "run-1", 0, T0, "erin", MemberType.USER),
                MembershipRemoved.of(tenant, g + "-it", "run-2", 0, T0.plusSeconds(10), "erin", MemberType.USER),
                MembershipAdded.of(tenant, g + "-it", "run-3", 0, T0.plusSeconds(20), "erin", MemberType.USER)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(members(g + "-it")).containsExactly("erin:user"));
    }

    @Test
    void one_groups_memberships_in_different_partitions_each_end_in_their_own_last_state() {
        List<SyncEvent> changes = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String member = "m" + (char) ('a' + i);
            changes.add(MembershipAdded.of(tenant, g + "-ops", "run-1", 0, T0, member, MemberType.USER));
            if (i % 2 == 1) {
                changes.add(MembershipRemoved.of(tenant, g + "-ops", "run-2", 0, T0.plusSeconds(10), member, MemberType.USER));
            }
            if (i % 4 == 1) {
                changes.add(MembershipAdded.of(tenant, g + "-ops", "run-3", 0, T0.plusSeconds(20), member, MemberType.USER));
            }
            if (i % 2 == 0 || i % 4 == 1) {
                expected.add(member + ":user");
            }
        }
        Set<Integer> partitions = changes.stream().map(e -> partitionOf(SyncEventRecords.of(e).key()))
                .collect(Collectors.toSet());
        assertThat(partitions).as("the group's memberships are keyed apart").hasSizeGreaterThan(1);

        RolesTestSupport.publish(bootstrapServers, changes);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(members(g + "-ops")).containsExactlyElementsOf(expected));
    }

    /** The partition Kafka's default partitioner picks for a key on the test broker's topics. */
    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % IdsyncTopics.PARTITIONS;
    }

    private List<String> members(String group) throws SQLException {
        return RolesTestSupport.groupMembers(dataSource, tenant, group);
    }
}
