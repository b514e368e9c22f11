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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What idsync decided reaches the public directory topics in step with the store (docs/DESIGN.md
 * invariants 11 to 13): observations go to the real observation topic, the store is read with SQL and the
 * public topics with a plain consumer from offset 0, as any subscriber would.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class PublishedInStepWithTheStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    private final String id = UUID.randomUUID().toString().substring(0, 8);

    private void publish(List<? extends SyncEvent> events) {
        Observations.publish(bootstrapServers, events);
    }

    private static Map<String, Object> attributes(Object... namesAndValues) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            attributes.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return attributes;
    }

    private static List<UserUpserted> upsertsOf(List<SyncEvent> events, String objectId) {
        return events.stream().filter(e -> e instanceof UserUpserted && e.objectId().equals(objectId))
                .map(UserUpserted.class::cast).toList();
    }

    @Test
    void a_minimal_update_keeps_every_other_attribute_and_the_users_topic_gets_the_full_object_and_an_explicit_null_clears()
            throws Exception {
        String tenant = "published"; // jobTitle → position, "Contoso GmbH" → orgUnit DE-01
        StoreProbe store = new StoreProbe(dataSource, tenant);
        String ada = "ada-" + id;
        publish(List.of(new UserUpserted(tenant, ada, "full-" + id, 1, T0, attributes(
                "displayName", "Ada Lovelace", "mail", "ada@published.example", "jobTitle", "Engineer",
                "department", "R&D", "companyName", "Contoso GmbH"))));
        await().atMost(WAIT).until(() -> store.object(ada) != null);
        // Graph answered an update with only the changed property.
        publish(List.of(new UserUpserted(tenant, ada, "delta-" + id, 1, T0.plusSeconds(60), attributes("jobTitle", "CTO"))));

        Map<String, Object> full = Map.of("displayName", "Ada Lovelace", "mail", "ada@published.example",
                "position", "CTO", "department", "R&D", "companyName", "Contoso GmbH", "orgUnit", "DE-01");
        await().atMost(WAIT).untilAsserted(() -> assertThat(store.object(ada)).containsAllEntriesOf(full)
                .doesNotContainKey("jobTitle"));
        try (PublicTopics topics = new PublicTopics(bootstrapServers, tenant)) {
            List<SyncEvent> events = topics.awaitEvents(WAIT, e -> upsertsOf(e, ada).size() == 2);
            assertThat(upsertsOf(events, ada).getFirst().data()).containsEntry("position", "Engineer");
            UserUpserted last = upsertsOf(events, ada).getLast();
            assertThat(last.data()).as("the full stored object, not the minimal update").isEqualTo(full);
            assertThat(last.observedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(last.runId()).isEqualTo("delta-" + id);

            Map<String, Object> cleared = new HashMap<>(attributes("department", null));
            publish(List.of(new UserUpserted(tenant, ada, "delta-" + id, 1, T0.plusSeconds(120), cleared)));
            await().atMost(WAIT).untilAsserted(() -> assertThat(store.object(ada)).containsEntry("department", null)
                    .containsEntry("displayName", "Ada Lovelace").containsEntry("position", "CTO"));
            UserUpserted afterNull = upsertsOf(topics.awaitEvents(WAIT, e -> upsertsOf(e, ada).size() == 3), ada).getLast();
            assertThat(afterNull.data()).containsEntry("department", null).containsEntry("position", "CTO")
                    .containsEntry("orgUnit", "DE-01").hasSize(full.size());
        }
    }

    @Test
    void an_object_the_run_saw_through_an_observation_too_old_to_change_it_is_not_swept() throws Exception {
        String tenant = "seen";
        StoreProbe store = new StoreProbe(dataSource, tenant);
        List<SyncEvent> first = new ArrayList<>(List.of(store.started("f1-" + id, SyncMode.FULL, 1, T0)));
        for (String user : List.of("confirmed", "unseen")) {
            first.add(new UserUpserted(tenant, user + id, "f1-" + id, 1, T0.plusSeconds(1), attributes("jobTitle", "Dev")));
        }
        first.add(new GroupUpserted(tenant, "team" + id, "f1-" + id, 1, T0.plusSeconds(1), attributes("displayName", "Team")));
        first.add(MembershipAdded.of(tenant, "team" + id, "f1-" + id, 1, T0.plusSeconds(1), "confirmed" + id, MemberType.USER));
        first.add(store.completed("f1-" + id, SyncMode.FULL, 1, T0.plusSeconds(2)));
        // A delta run confirms the membership later than the full run below will read it.
        first.add(store.started("d1-" + id, SyncMode.DELTA, 1, T0.plusSeconds(400)));
        first.add(MembershipAdded.of(tenant, "team" + id, "d1-" + id, 1, T0.plusSeconds(500), "confirmed" + id, MemberType.USER));
        first.add(store.completed("d1-" + id, SyncMode.DELTA, 1, T0.plusSeconds(501)));
        publish(first);

        // Full run 2 (epoch 2): while it pages, profile-writer confirms a PATCH (epoch 0, newer than the page
        // that later reads the user: that page is too old to change the user, but it saw the user in epoch 2).
        String f2 = "f2-" + id;
        publish(List.of(store.started(f2, SyncMode.FULL, 2, T0.plusSeconds(200)),
                new UserUpserted(tenant, "confirmed" + id, "patch-" + id, 0, T0.plusSeconds(600), attributes("jobTitle", "CTO")),
                new UserUpserted(tenant, "confirmed" + id, f2, 2, T0.plusSeconds(300), attributes("jobTitle", "Dev")),
                new GroupUpserted(tenant, "team" + id, f2, 2, T0.plusSeconds(300), attributes("displayName", "Team")),
                MembershipAdded.of(tenant, "team" + id, f2, 2, T0.plusSeconds(300), "confirmed" + id, MemberType.USER),
                store.completed(f2, SyncMode.FULL, 2, T0.plusSeconds(700))));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object("unseen" + id)).as("the sweep ran").containsEntry("state", "pendingDeletion")
                    .containsEntry("removal_reason", "notSeenInFullSync");
            assertThat(store.object("confirmed" + id)).containsEntry("state", "active").containsEntry("epoch", 2L)
                    .containsEntry("jobTitle", "CTO");
            assertThat(store.members("team" + id)).containsExactly("confirmed" + id);
        });
        try (PublicTopics topics = new PublicTopics(bootstrapServers, tenant)) {
            List<SyncEvent> events = topics.awaitEvents(WAIT, e -> e.stream().anyMatch(
                    r -> r instanceof UserRemoved && r.objectId().equals("unseen" + id)));
            assertThat(events).noneMatch(e -> e instanceof UserRemoved && e.objectId().equals("confirmed" + id));
            assertThat(events).noneMatch(e -> e instanceof MembershipRemoved && e.objectId().equals("team" + id));
            assertThat(upsertsOf(events, "confirmed" + id).getLast().data()).containsEntry("jobTitle", "CTO");
        }
    }

    @Test
    void replaying_the_same_observations_publishes_nothing_new_and_changes_no_row() throws Exception {
        String tenant = "replayed";
        StoreProbe store = new StoreProbe(dataSource, tenant);
        String run = "run-" + id;
        List<SyncEvent> observations = List.of(
                new UserUpserted(tenant, "r1" + id, "d0", 1, T0, attributes("department", "Sales", "displayName", "R1")),
                new UserUpserted(tenant, "r1" + id, "d0", 1, T0.plusSeconds(5), attributes("department", "Finance")),
                new UserUpserted(tenant, "r2" + id, "d0", 1, T0, attributes("department", "Ops")),
                new GroupUpserted(tenant, "rg" + id, "d0", 1, T0, attributes("displayName", "Replay")),
                MembershipAdded.of(tenant, "rg" + id, "d0", 1, T0, "r1" + id, MemberType.USER),
                MembershipAdded.of(tenant, "rg" + id, "d0", 1, T0, "r2" + id, MemberType.USER),
                MembershipRemoved.of(tenant, "rg" + id, "d0", 1, T0.plusSeconds(4), "r2" + id, MemberType.USER),
                store.started(run, SyncMode.DELTA, 1, T0.plusSeconds(6)),
                UserRemoved.of(tenant, "r2" + id, run, 1, T0.plusSeconds(7), RemovalReason.HARD_DELETED),
                store.completed(run, SyncMode.DELTA, 1, T0.plusSeconds(8)));
        publish(observations);
        try (PublicTopics topics = new PublicTopics(bootstrapServers, tenant)) {
            List<SyncEvent> before = topics.awaitEvents(WAIT, e -> e.stream().anyMatch(r -> r instanceof UserRemoved));
            List<String> storeBefore = store.snapshot();

            publish(observations); // every observation again, in order
            publish(List.of(new UserUpserted(tenant, "marker" + id, "d9", 1, T0, attributes("displayName", "Marker"))));
            List<SyncEvent> after = topics.awaitEvents(WAIT, e -> !upsertsOf(e, "marker" + id).isEmpty());

            assertThat(after.stream().filter(e -> !e.objectId().equals("marker" + id)).toList())
                    .as("nothing new but the marker").isEqualTo(before);
            List<String> storeAfter = new ArrayList<>(store.snapshot());
            storeAfter.removeIf(row -> row.contains("marker" + id));
            assertThat(storeAfter).isEqualTo(storeBefore);
        }
    }

    @Test
    void a_fold_of_the_public_topics_equals_the_store_after_a_sync_with_updates_deletions_and_a_sweep() throws Exception {
        String tenant = "folded"; // jobTitle → position; external.folded.example is out of scope
        StoreProbe store = new StoreProbe(dataSource, tenant);
        List<SyncEvent> f1 = new ArrayList<>(List.of(store.started("f1", SyncMode.FULL, 1, T0)));
        for (String user : List.of("a", "b", "c", "d", "e")) {
            f1.add(new UserUpserted(tenant, user, "f1", 1, T0, attributes("displayName", user.toUpperCase(),
                    "userPrincipalName", user + "@folded.example", "jobTitle", "Dev", "city", "Bern")));
        }
        f1.add(new GroupUpserted(tenant, "g1", "f1", 1, T0, attributes("displayName", "One")));
        f1.add(new GroupUpserted(tenant, "g2", "f1", 1, T0, attributes("displayName", "Two")));
        f1.add(new DirectoryRoleUpserted(tenant, "r1", "f1", 1, T0, attributes("displayName", "Global Administrator")));
        for (String member : List.of("a", "b", "c", "d", "placeholder")) {
            f1.add(MembershipAdded.of(tenant, "g1", "f1", 1, T0, member, MemberType.USER));
        }
        f1.add(MembershipAdded.of(tenant, "g2", "f1", 1, T0, "a", MemberType.USER));
        f1.add(MembershipAdded.of(tenant, "g2", "f1", 1, T0, "g1", MemberType.GROUP));
        f1.add(DirectoryRoleMemberAdded.of(tenant, "r1", "f1", 1, T0, "a", MemberType.USER));
        f1.add(store.completed("f1", SyncMode.FULL, 1, T0.plusSeconds(1)));

        Instant t1 = T0.plusSeconds(60);
        List<SyncEvent> d1 = List.of(store.started("d1", SyncMode.DELTA, 1, t1),
                new UserUpserted(tenant, "a", "d1", 1, t1, attributes("jobTitle", "Lead")),
                new UserUpserted(tenant, "e", "d1", 1, t1, new HashMap<>(attributes("city", null))),
                UserRemoved.of(tenant, "b", "d1", 1, t1, RemovalReason.SOFT_DELETED),
                UserRemoved.of(tenant, "c", "d1", 1, t1, RemovalReason.HARD_DELETED),
                new UserUpserted(tenant, "d", "d1", 1, t1, attributes("userPrincipalName", "d@external.folded.example")),
                MembershipRemoved.of(tenant, "g1", "d1", 1, t1, "a", MemberType.USER),
                store.completed("d1", SyncMode.DELTA, 1, t1.plusSeconds(1)));

        Instant t2 = T0.plusSeconds(3600); // a full sync that no longer sees g2
        List<SyncEvent> f2 = new ArrayList<>(List.of(store.started("f2", SyncMode.FULL, 2, t2)));
        for (String user : List.of("a", "e")) {
            f2.add(new UserUpserted(tenant, user, "f2", 2, t2, attributes("displayName", user.toUpperCase())));
        }
        f2.add(new GroupUpserted(tenant, "g1", "f2", 2, t2, attributes("displayName", "One")));
        f2.add(new DirectoryRoleUpserted(tenant, "r1", "f2", 2, t2, attributes("displayName", "Global Administrator")));
        f2.add(MembershipAdded.of(tenant, "g1", "f2", 2, t2, "placeholder", MemberType.USER));
        f2.add(DirectoryRoleMemberAdded.of(tenant, "r1", "f2", 2, t2, "a", MemberType.USER));
        f2.add(store.completed("f2", SyncMode.FULL, 2, t2.plusSeconds(1)));

        // Run by run, as the poller reads them (in one poll batch, d would go out of scope before it was stored).
        for (List<SyncEvent> run : List.of(f1, d1, f2)) {
            publish(run);
            String runId = run.getFirst().objectId();
            await().atMost(WAIT).until(() -> store.count("select count(*) from directory.sync_runs where tenant_id = ?"
                    + " and run_id = '" + runId + "' and status = 'completed'") == 1);
        }

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object("g2")).containsEntry("state", "pendingDeletion");
            assertThat(store.object("d")).containsEntry("state", "removed").containsEntry("removal_reason", "outOfScope");
        });
        try (PublicTopics topics = new PublicTopics(bootstrapServers, tenant)) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(topics.foldedState()).isEqualTo(store.decidedState()));
            Map<String, String> state = store.decidedState();
            assertThat(state).containsEntry("folded:a",
                            "user {\"city\":\"Bern\",\"displayName\":\"A\",\"position\":\"Lead\",\"userPrincipalName\":\"a@folded.example\"}")
                    .containsEntry("folded:e",
                            "user {\"city\":null,\"displayName\":\"E\",\"position\":\"Dev\",\"userPrincipalName\":\"e@folded.example\"}")
                    .containsEntry("folded:b", "user removed softDeleted")
                    .containsEntry("folded:c", "user removed hardDeleted")
                    .containsEntry("folded:d", "user removed outOfScope")
                    .containsEntry("folded:g2", "group removed notSeenInFullSync")
                    .containsEntry("folded:g1:placeholder", "member user")
                    .containsEntry("folded:r1:a", "member user")
                    .doesNotContainKeys("folded:placeholder", "folded:g1:a", "folded:g1:c", "folded:g2:a", "folded:g2:g1");
        }
    }
}
