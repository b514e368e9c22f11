package dev.idsync.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.Topics;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Observations put on the real observation topic (keyed by tenant) end up in the real directory schema. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class DirectoryTopicsToStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String TENANT = "store"; // idsync-test.yaml: no filters, threshold 500 / 100 %
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    private StoreProbe store;
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void probe() {
        store = new StoreProbe(dataSource, TENANT);
    }

    private String u(String name) {
        return id + "-" + name;
    }

    private void publish(SyncEvent... events) {
        Observations.publish(bootstrapServers, events);
    }

    private UserUpserted user(String name, Instant at, Map<String, Object> attributes) {
        return new UserUpserted(TENANT, u(name), "run-" + id, 1, at, attributes);
    }

    @Test
    void an_older_observation_arriving_late_never_overwrites_a_newer_one() {
        publish(user("u2", T0.plusSeconds(60), Map.of("jobTitle", "CTO")),
                user("u2", T0, Map.of("jobTitle", "Intern")),
                new GroupUpserted(TENANT, u("g2"), "r", 1, T0.plusSeconds(60), Map.of("displayName", "New")),
                new GroupUpserted(TENANT, u("g2"), "r", 1, T0, Map.of("displayName", "Old")),
                user("u3", T0, Map.of("jobTitle", "marker")));
        await().atMost(WAIT).until(() -> store.object(u("u3")) != null);
        // and the same across batches: the old one again, alone
        publish(user("u2", T0.plusSeconds(30), Map.of("jobTitle", "Intern")), user("u3b", T0, Map.of()));
        await().atMost(WAIT).until(() -> store.object(u("u3b")) != null);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object(u("u2"))).containsEntry("jobTitle", "CTO");
            assertThat(store.object(u("g2"))).containsEntry("displayName", "New").containsEntry("kind", "group");
        });
    }

    @Test
    void a_membership_before_its_user_creates_a_placeholder_that_the_users_own_event_fills() throws Exception {
        publish(new GroupUpserted(TENANT, u("g1"), "r", 1, T0, Map.of("displayName", "Sales")),
                MembershipAdded.of(TENANT, u("g1"), "r", 1, T0, u("late"), MemberType.USER),
                MembershipAdded.of(TENANT, u("g1"), "r", 1, T0, u("sp"), MemberType.SERVICE_PRINCIPAL));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object(u("late"))).containsEntry("placeholder", true).containsEntry("kind", "user");
            assertThat(store.object(u("sp"))).containsEntry("placeholder", true).containsEntry("kind", "servicePrincipal");
            assertThat(store.members(u("g1"))).containsExactlyInAnyOrder(u("late"), u("sp"));
        });

        publish(user("late", T0.plusSeconds(5), Map.of("displayName", "Late Larry")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(store.object(u("late")))
                .containsEntry("placeholder", false).containsEntry("displayName", "Late Larry")
                .containsEntry("state", "active"));
        assertThat(store.members(u("g1"))).contains(u("late"));
    }

    @Test
    void directory_roles_and_their_members_are_stored() {
        publish(new DirectoryRoleUpserted(TENANT, u("role"), "r", 1, T0, Map.of("displayName", "Global Administrator")),
                user("admin", T0, Map.of("displayName", "Ada")),
                DirectoryRoleMemberAdded.of(TENANT, u("role"), "r", 1, T0, u("admin"), MemberType.USER));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object(u("role"))).containsEntry("kind", "directoryRole")
                    .containsEntry("displayName", "Global Administrator");
            assertThat(store.members(u("role"))).containsExactly(u("admin"));
        });
    }

    @Test
    void soft_delete_becomes_pending_after_the_run_and_a_later_upsert_restores_it() {
        String run = "run-soft-" + id;
        publish(user("u4", T0, Map.of("displayName", "Grace Hopper")),
                new GroupUpserted(TENANT, u("g4"), "r", 1, T0, Map.of()),
                MembershipAdded.of(TENANT, u("g4"), "r", 1, T0, u("u4"), MemberType.USER),
                store.started(run, SyncMode.DELTA, 1, T0.plusSeconds(1)),
                UserRemoved.of(TENANT, u("u4"), run, 1, T0.plusSeconds(2), RemovalReason.SOFT_DELETED),
                store.completed(run, SyncMode.DELTA, 1, T0.plusSeconds(3)));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object(u("u4"))).containsEntry("state", "pendingDeletion")
                    .containsEntry("removal_reason", "softDeleted").containsEntry("displayName", "Grace Hopper");
            assertThat(store.members(u("g4"))).as("restorable: memberships kept").containsExactly(u("u4"));
        });

        publish(user("u4", T0.plusSeconds(10), Map.of("city", "Arlington")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(store.object(u("u4")))
                .containsEntry("state", "active").containsEntry("removal_reason", null)
                .containsEntry("displayName", "Grace Hopper").containsEntry("city", "Arlington"));
    }

    @Test
    void hard_delete_and_out_of_scope_remove_the_objects_memberships_with_it() {
        String run = "run-hard-" + id;
        publish(user("h1", T0, Map.of()), user("h2", T0, Map.of()), user("keep", T0, Map.of()),
                new GroupUpserted(TENANT, u("g5"), "r", 1, T0, Map.of()),
                MembershipAdded.of(TENANT, u("g5"), "r", 1, T0, u("h1"), MemberType.USER),
                MembershipAdded.of(TENANT, u("g5"), "r", 1, T0, u("h2"), MemberType.USER),
                MembershipAdded.of(TENANT, u("g5"), "r", 1, T0, u("keep"), MemberType.USER),
                UserRemoved.of(TENANT, u("h1"), run, 1, T0.plusSeconds(2), RemovalReason.HARD_DELETED),
                UserRemoved.of(TENANT, u("h2"), run, 1, T0.plusSeconds(2), RemovalReason.OUT_OF_SCOPE),
                store.completed(run, SyncMode.DELTA, 1, T0.plusSeconds(3)));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object(u("h1"))).containsEntry("state", "pendingHardDeletion");
            assertThat(store.object(u("h2"))).containsEntry("state", "removed").containsEntry("removal_reason", "outOfScope");
            assertThat(store.members(u("g5"))).containsExactly(u("keep"));
        });
    }

    @Test
    void replaying_the_observations_changes_no_row() throws Exception {
        String run = "run-replay-" + id;
        List<SyncEvent> events = List.of(
                user("r1", T0, Map.of("department", "Sales")),
                user("r1", T0.plusSeconds(5), Map.of("department", "Finance")),
                user("r2", T0, Map.of("department", "Ops")),
                new GroupUpserted(TENANT, u("rg"), "r", 1, T0, Map.of("displayName", "Replay")),
                MembershipAdded.of(TENANT, u("rg"), "r", 1, T0, u("r1"), MemberType.USER),
                MembershipAdded.of(TENANT, u("rg"), "r", 1, T0, u("r2"), MemberType.USER),
                MembershipAdded.of(TENANT, u("rg"), "r", 1, T0, u("ghost"), MemberType.USER),
                MembershipRemoved.of(TENANT, u("rg"), "r", 1, T0.plusSeconds(4), u("r2"), MemberType.USER),
                store.started(run, SyncMode.DELTA, 1, T0.plusSeconds(6)),
                UserRemoved.of(TENANT, u("r2"), run, 1, T0.plusSeconds(7), RemovalReason.SOFT_DELETED),
                store.completed(run, SyncMode.DELTA, 1, T0.plusSeconds(8)));
        publish(events.toArray(SyncEvent[]::new));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object(u("r2"))).containsEntry("state", "pendingDeletion");
            assertThat(store.members(u("rg"))).containsExactlyInAnyOrder(u("r1"), u("ghost"));
        });
        List<String> before = store.snapshot();

        publish(events.toArray(SyncEvent[]::new)); // every event again, in order
        publish(user("marker", T0, Map.of()));
        await().atMost(WAIT).until(() -> store.object(u("marker")) != null);

        List<String> after = new ArrayList<>(store.snapshot());
        after.removeIf(row -> row.contains(u("marker")));
        assertThat(after).isEqualTo(before);
    }

    @Test
    void a_malformed_record_goes_to_the_dead_letter_topic_and_the_next_records_are_still_applied() {
        String ceId = u("broken");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers),
                new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> broken = new ProducerRecord<>(Topics.GRAPH_OBSERVATIONS, TENANT,
                    "{not json".getBytes(StandardCharsets.UTF_8));
            broken.headers().add("ce_id", ceId.getBytes(StandardCharsets.UTF_8))
                    .add("ce_type", "dev.idsync.user.upserted.v1".getBytes(StandardCharsets.UTF_8))
                    .add("ce_source", "/test".getBytes(StandardCharsets.UTF_8))
                    .add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                    .add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            producer.send(broken);
        }
        publish(user("after-broken", T0, Map.of("displayName", "Still here")));

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(store.object(u("after-broken"))).containsEntry("displayName", "Still here"));
        // the dead letter is still unreadable as an event, so it is read raw
        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                "group.id", "dlq-probe-" + id, "auto.offset.reset", "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.dlq(Topics.GRAPH_OBSERVATIONS)));
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                return dead.stream().anyMatch(r -> isTheBrokenOne(r, ceId));
            });
        }
        ConsumerRecord<String, byte[]> letter = dead.stream().filter(r -> isTheBrokenOne(r, ceId)).findFirst().orElseThrow();
        assertThat(letter.key()).isEqualTo(TENANT);
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(letter.headers().lastHeader("error")).isNotNull();
        assertThat(letter.headers().lastHeader("ce_type")).isNotNull();
    }

    private static boolean isTheBrokenOne(ConsumerRecord<String, byte[]> record, String ceId) {
        var id = record.headers().lastHeader("ce_id");
        return id != null && ceId.equals(new String(id.value(), StandardCharsets.UTF_8));
    }
}
