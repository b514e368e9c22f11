package dev.idsync.directory.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idsync.events.AssignmentSource;
import dev.idsync.events.EventType;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.events.Topics;
import dev.idsync.events.kafka.SyncEventRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against the real broker and idsync's real topics; each test has a tenant of its own. */
class DirectoryClientTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TenantEvents t = new TenantEvents();
    private final RecordingListener listener = new RecordingListener();
    private final List<DirectoryClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(DirectoryClient::close);
    }

    private DirectoryClient bootstrap(DirectoryClientConfig config) {
        DirectoryClient client = DirectoryClient.bootstrap(config, WAIT);
        clients.add(client);
        return client;
    }

    private DirectoryClientConfig config() {
        return DirectoryClientConfig.of(TestKafka.bootstrap()).withTenants(t.tenant).withListener(listener);
    }

    @Test
    void a_bootstrap_reports_each_keys_last_record_once_then_caught_up_then_follows_every_record() {
        TestKafka.publish(
                t.user("u1", Map.of("displayName", "Ada 1")),
                t.user("u1", Map.of("displayName", "Ada 2")),
                t.user("u2", Map.of("displayName", "Bob")),
                t.group("g1", "Admins"),
                t.member("g1", "u1"),
                t.member("g1", "u2"),
                t.memberRemoved("g1", "u2"));

        DirectoryClient client = bootstrap(config());

        assertThat(client.isCaughtUp()).isTrue();
        // One call per key with its last record; objects before memberships; caughtUp after all of them.
        assertThat(listener.bootstrapCalls()).containsExactlyInAnyOrder(
                "userUpserted u1 {displayName=Ada 2}", "userUpserted u2 {displayName=Bob}", "groupUpserted g1",
                "membershipAdded g1/u1", "membershipRemoved g1/u2");
        assertThat(listener.bootstrapCalls().indexOf("groupUpserted g1"))
                .isLessThan(listener.bootstrapCalls().indexOf("membershipAdded g1/u1"));
        assertThat(listener.followCalls()).isEmpty();
        assertThat(client.replica().user(t.tenant, "u1").orElseThrow().attributes()).containsEntry("displayName", "Ada 2");
        assertThat(client.replica().members(t.tenant, "g1")).extracting(Member::memberId).containsExactly("u1");

        TestKafka.publish(t.user("u1", Map.of("displayName", "Ada 3")), t.user("u1", Map.of("displayName", "Ada 4")),
                t.member("g1", "u2"));
        client.catchUp(WAIT);

        // Following, every record is a call of its own, in its partition's order.
        assertThat(listener.followCalls()).containsExactlyInAnyOrder(
                "userUpserted u1 {displayName=Ada 3}", "userUpserted u1 {displayName=Ada 4}", "membershipAdded g1/u2");
        assertThat(listener.followCalls()).containsSubsequence(
                "userUpserted u1 {displayName=Ada 3}", "userUpserted u1 {displayName=Ada 4}");
        assertThat(client.replica().user(t.tenant, "u1").orElseThrow().attributes()).containsEntry("displayName", "Ada 4");
        assertThat(client.replica().members(t.tenant, "g1")).extracting(Member::memberId).containsExactlyInAnyOrder("u1", "u2");
    }

    @Test
    void the_last_record_of_a_key_wins_even_when_it_was_observed_earlier() {
        DirectoryClient client = bootstrap(config());
        var newer = t.user("u1", Map.of("displayName", "newer"));
        var older = new dev.idsync.events.UserUpserted(t.tenant, "u1", "run-1", 1, newer.observedAt().minusSeconds(60),
                Map.of("displayName", "published last"));

        TestKafka.publish(newer, older);
        client.catchUp(WAIT);

        // The topic is what delta-processor decided, in order; the replica is its last word, like compaction.
        assertThat(client.replica().user(t.tenant, "u1").orElseThrow().attributes())
                .containsEntry("displayName", "published last");
    }

    @Test
    void a_removal_keeps_the_object_as_removed_with_its_reason_and_who_decided_without_attributes() {
        TestKafka.publish(
                t.user("u1", Map.of("displayName", "Ada", "mail", "ada@contoso.example")),
                t.userRemoved("u1", RemovalReason.NOT_SEEN_IN_FULL_SYNC, "admin@contoso.example"),
                t.group("g1", "Admins"),
                t.groupRemoved("g1", RemovalReason.OUT_OF_SCOPE));

        DirectoryClient client = bootstrap(config());

        DirectoryObject user = client.replica().user(t.tenant, "u1").orElseThrow();
        assertThat(user.state()).isEqualTo(ObjectState.REMOVED);
        assertThat(user.removalReason()).contains(RemovalReason.NOT_SEEN_IN_FULL_SYNC);
        assertThat(user.decidedBy()).contains("admin@contoso.example");
        assertThat(user.attributes()).isEmpty();
        DirectoryObject group = client.replica().group(t.tenant, "g1").orElseThrow();
        assertThat(group.removalReason()).contains(RemovalReason.OUT_OF_SCOPE);
        assertThat(group.decidedBy()).isEmpty();
        assertThat(listener.bootstrapCalls()).containsExactlyInAnyOrder("userRemoved u1 notSeenInFullSync",
                "groupRemoved g1 outOfScope");

        TestKafka.publish(t.user("u1", Map.of("displayName", "Ada is back")));
        client.catchUp(WAIT);

        DirectoryObject restored = client.replica().user(t.tenant, "u1").orElseThrow();
        assertThat(restored.state()).isEqualTo(ObjectState.ACTIVE);
        assertThat(restored.removalReason()).isEmpty();
        assertThat(restored.attributes()).containsExactly(Map.entry("displayName", "Ada is back"));
    }

    @Test
    void a_membership_removal_takes_the_member_out_of_the_group_and_the_group_out_of_the_members_groups() {
        DirectoryClient client = bootstrap(config());

        TestKafka.publish(t.member("g1", "u1"), t.member("g2", "u1"), t.member("g1", "u2"),
                t.directoryRole("r1", "Global Reader"), t.roleMember("r1", "u1"), t.roleMember("r1", "u2"));
        client.catchUp(WAIT);
        assertThat(client.replica().groupsOf(t.tenant, "u1")).extracting(Member::containerId).containsExactlyInAnyOrder("g1", "g2");

        TestKafka.publish(t.memberRemoved("g1", "u1"), t.roleMemberRemoved("r1", "u2"));
        client.catchUp(WAIT);

        DirectoryReplica replica = client.replica();
        assertThat(replica.members(t.tenant, "g1")).extracting(Member::memberId).containsExactly("u2");
        assertThat(replica.groupsOf(t.tenant, "u1")).extracting(Member::containerId).containsExactly("g2");
        assertThat(replica.memberships(t.tenant)).extracting(m -> m.containerId() + "/" + m.memberId())
                .containsExactlyInAnyOrder("g2/u1", "g1/u2");
        assertThat(replica.directoryRoleMembers(t.tenant, "r1")).extracting(Member::memberId).containsExactly("u1");
        assertThat(replica.directoryRole(t.tenant, "r1")).isPresent();
        assertThat(listener.followCalls()).contains("membershipRemoved g1/u1", "directoryRoleMemberRemoved r1/u2");
    }

    @Test
    void a_tombstone_deletes_the_key_while_following_and_leaves_nothing_of_it_in_a_bootstrap() {
        TestKafka.publish(t.user("u1", Map.of("displayName", "Ada")), t.user("u2", Map.of("displayName", "Bob")),
                t.member("g1", "u2"));
        TestKafka.sendRaw(Topics.USERS, t.key("u2"), null, Map.of());

        DirectoryClient client = bootstrap(config());

        assertThat(client.replica().users(t.tenant)).containsOnlyKeys("u1");
        assertThat(listener.bootstrapCalls()).containsExactlyInAnyOrder("userUpserted u1 {displayName=Ada}",
                "membershipAdded g1/u2");

        TestKafka.sendRaw(Topics.USERS, t.key("u1"), null, Map.of());
        TestKafka.sendRaw(Topics.MEMBERSHIPS, t.tenant + ":g1:u2", null, Map.of());
        client.catchUp(WAIT);

        assertThat(client.replica().users(t.tenant)).isEmpty();
        assertThat(client.replica().members(t.tenant, "g1")).isEmpty();
        assertThat(listener.followCalls()).containsExactlyInAnyOrder("keyDeleted u1", "keyDeleted g1:u2");
    }

    @Test
    void a_poison_record_is_reported_with_its_offset_and_skipped_and_the_client_carries_on() {
        DirectoryClient client = bootstrap(config());

        TestKafka.sendRaw(Topics.USERS, t.key("u1"), "not a CloudEvent".getBytes(StandardCharsets.UTF_8), Map.of());
        TestKafka.sendRaw(Topics.USERS, t.key("u1"), "{}".getBytes(StandardCharsets.UTF_8), Map.of(
                "ce_id", "poison-1", "ce_type", EventType.USER_UPSERTED.type(), "ce_source", "urn:test",
                "ce_specversion", "1.0", "content-type", "application/json"));
        SyncRunStarted runStarted = new SyncRunStarted(t.tenant, "u1", "run-1", 1, Instant.now(),
                new SyncRun(SyncMode.DELTA, List.of("users"), Map.of(), null));
        TestKafka.publishTo(Topics.USERS, List.of(runStarted)); // a valid event on the wrong topic
        TestKafka.publish(t.user("u1", Map.of("displayName", "Ada")));
        client.catchUp(WAIT);

        assertThat(client.replica().user(t.tenant, "u1").orElseThrow().attributes()).containsEntry("displayName", "Ada");
        assertThat(listener.skipped()).hasSize(3).allSatisfy(skipped -> {
            assertThat(skipped.topic()).isEqualTo(Topics.USERS);
            assertThat(skipped.key()).isEqualTo(t.key("u1"));
            assertThat(skipped.offset()).isNotNegative();
        });
        assertThat(listener.skipped().get(0).reason()).startsWith("unreadable");
        assertThat(listener.skipped().get(1).cause()).isNotNull();
        assertThat(listener.skipped().get(2).reason()).contains(EventType.SYNC_RUN_STARTED.type(), "USERS");
        // Later records still arrive.
        TestKafka.publish(t.user("u1", Map.of("displayName", "Ada 2")));
        client.catchUp(WAIT);
        assertThat(client.replica().user(t.tenant, "u1").orElseThrow().attributes()).containsEntry("displayName", "Ada 2");
    }

    @Test
    void a_listener_that_throws_does_not_stop_the_client() {
        DirectoryClient client = bootstrap(config().withListener(new DirectoryListener() {
            @Override
            public void userUpserted(DirectoryObject user) {
                throw new IllegalStateException("the subscriber's bug");
            }
        }));

        TestKafka.publish(t.user("u1", Map.of("displayName", "Ada")), t.user("u2", Map.of("displayName", "Bob")));
        client.catchUp(WAIT);

        assertThat(client.replica().users(t.tenant)).containsOnlyKeys("u1", "u2");
    }

    @Test
    void only_the_chosen_tenants_are_kept() {
        TenantEvents other = new TenantEvents();
        TestKafka.publish(t.user("u1", Map.of("displayName", "Ada")), other.user("u1", Map.of("displayName", "Eve")));

        DirectoryClient client = bootstrap(config());

        assertThat(client.replica().tenants()).containsExactly(t.tenant);
        assertThat(client.replica().users(other.tenant)).isEmpty();
    }

    @Test
    void role_assignments_are_kept_per_user_when_asked_for() {
        TestKafka.publish(
                t.granted("u1", "editor", AssignmentSource.FEDERATED, "g1"),
                t.granted("u1", "viewer", AssignmentSource.MANUAL, null),
                t.granted("u1", "editor", AssignmentSource.FEDERATED, "g2"),
                t.revoked("u1", "editor", AssignmentSource.FEDERATED, "g1"));

        DirectoryClient withRoles = bootstrap(config().withRoleAssignments());
        DirectoryClient withoutRoles = bootstrap(DirectoryClientConfig.of(TestKafka.bootstrap()).withTenants(t.tenant));

        assertThat(withRoles.replica().roles(t.tenant, "u1")).extracting(g -> g.role() + ":" + g.source().json() + ":" + g.groupId())
                .containsExactlyInAnyOrder("viewer:manual:null", "editor:federated:g2");
        assertThat(withRoles.replica().roleGrants(t.tenant)).hasSize(2);
        assertThat(withoutRoles.replica().roleGrants(t.tenant)).isEmpty();
        assertThat(listener.bootstrapCalls()).containsExactlyInAnyOrder("roleGranted u1 viewer", "roleGranted u1 editor",
                "roleRevoked u1 editor");
    }

    @Test
    void catch_up_returns_once_everything_published_before_the_call_is_in_the_replica() {
        DirectoryClient client = bootstrap(config());

        TestKafka.publish(IntStream.range(0, 500).mapToObj(i -> t.user("u" + i, Map.of("n", i)))
                .toArray(dev.idsync.events.SyncEvent[]::new));
        client.catchUp(WAIT);

        // No waiting after catchUp: all 500 are there the moment it returns.
        assertThat(client.replica().users(t.tenant)).hasSize(500);
        assertThat(listener.followCalls()).hasSize(500);
    }

    @Test
    void with_a_group_id_the_replicas_positions_are_committed_for_lag_monitoring() throws Exception {
        String group = "directory-client-test-" + UUID.randomUUID();
        DirectoryClient client = bootstrap(config().withGroupId(group));
        TestKafka.publish(t.user("u1", Map.of("displayName", "Ada")));
        client.catchUp(WAIT);
        client.close();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            assertThat(committed.keySet()).extracting(TopicPartition::topic).containsAll(Topics.DIRECTORY);
            long usersCommitted = committed.entrySet().stream().filter(e -> e.getKey().topic().equals(Topics.USERS))
                    .mapToLong(e -> e.getValue().offset()).sum();
            assertThat(usersCommitted).isPositive();
        }
    }

    @Test
    void a_topic_that_does_not_exist_fails_the_start_instead_of_being_created() {
        DirectoryTopics missing = new DirectoryTopics("missing-" + UUID.randomUUID(), Topics.GROUPS, Topics.MEMBERSHIPS,
                Topics.DIRECTORY_ROLES, Topics.ROLE_ASSIGNMENTS);

        assertThatThrownBy(() -> DirectoryClient.start(config().withTopics(missing)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(missing.users()).hasMessageContaining("does not exist");
    }

    @Test
    void a_closed_client_fails_a_catch_up_at_once() {
        DirectoryClient client = bootstrap(config());
        client.close();

        assertThatThrownBy(() -> client.catchUp(WAIT)).isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
    }
}
