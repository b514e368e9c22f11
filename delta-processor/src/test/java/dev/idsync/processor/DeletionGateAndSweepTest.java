package dev.idsync.processor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.idsync.api.Problem;
import dev.idsync.api.Roles;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Accidental-delete protection, the full-sync sweep and the scoping filters, through the real observation topic,
 * the real store and the admin API with tokens of the emulator's issuer.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class DeletionGateAndSweepTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;

    @Inject
    AgroalDataSource dataSource;

    private void publish(List<? extends SyncEvent> events) {
        Observations.publish(bootstrapServers, events);
    }

    @Test
    void six_hundred_deletions_in_one_run_are_held_until_an_admin_approves_them() throws Exception {
        String tenant = "gated"; // the default threshold: 500 objects or 10 %
        StoreProbe store = new StoreProbe(dataSource, tenant);
        List<SyncEvent> initial = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            initial.add(new UserUpserted(tenant, "g-u" + i, "full-1", 1, T0, Map.of("displayName", "User " + i)));
        }
        publish(initial);
        List<SyncEvent> mass = new ArrayList<>();
        mass.add(store.started("mass", SyncMode.DELTA, 1, T0.plusSeconds(10)));
        for (int i = 0; i < 600; i++) {
            mass.add(UserRemoved.of(tenant, "g-u" + i, "mass", 1, T0.plusSeconds(11), RemovalReason.SOFT_DELETED));
        }
        mass.add(store.completed("mass", SyncMode.DELTA, 1, T0.plusSeconds(12)));
        publish(mass);

        String reader = TestTokens.bearer(emulator, Roles.READER);
        await().atMost(WAIT).untilAsserted(() -> given().header("Authorization", reader)
                .when().get("/api/tenants/gated/pending-deletions")
                .then().statusCode(200).body("count", equalTo(600)));
        assertThat(countActive(store)).as("held: nothing deleted yet").isEqualTo(1000);
        assertThat(store.object("g-u0")).containsEntry("state", "active");
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        String held = metrics.lines().filter(l -> l.startsWith("idsync_processor_deletions_held_total{tenant=\"gated\"}"))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(held.substring(held.lastIndexOf(' ') + 1))).isGreaterThanOrEqualTo(600);

        given().header("Authorization", reader).when().post("/api/tenants/gated/pending-deletions/approve")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", TestTokens.bearer(emulator, Roles.ADMIN))
                .when().post("/api/tenants/gated/pending-deletions/approve")
                .then().statusCode(200).body("applied", equalTo(600));

        assertThat(countActive(store)).isEqualTo(400);
        given().header("Authorization", reader).when().get("/api/tenants/gated/pending-deletions")
                .then().statusCode(200).body("count", equalTo(0));
        given().header("Authorization", reader).when().get("/api/tenants/gated/users?state=pendingDeletion&size=1")
                .then().statusCode(200).body("total", equalTo(600));
    }

    @Test
    void rejected_deletions_leave_the_objects_as_they_are() {
        String tenant = "gated";
        StoreProbe store = new StoreProbe(dataSource, tenant);
        List<SyncEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(new UserUpserted(tenant, "rej-u" + i, "r", 1, T0, Map.of()));
        }
        events.add(store.started("rej", SyncMode.DELTA, 1, T0.plusSeconds(1)));
        for (int i = 0; i < 3; i++) {
            events.add(UserRemoved.of(tenant, "rej-u" + i, "rej", 1, T0.plusSeconds(2), RemovalReason.HARD_DELETED));
        }
        events.add(store.completed("rej", SyncMode.DELTA, 1, T0.plusSeconds(3)));
        publish(events);
        String admin = TestTokens.bearer(emulator, Roles.ADMIN);
        // 3 out of a tiny tenant is above 10 %: held
        await().atMost(WAIT).untilAsserted(() -> given().header("Authorization", admin)
                .when().get("/api/tenants/gated/pending-deletions").then().statusCode(200)
                .body("items.findAll { it.runId == 'rej' }.size()", equalTo(3)));

        given().header("Authorization", admin).when().post("/api/tenants/gated/pending-deletions/reject?runId=rej")
                .then().statusCode(200).body("rejected", equalTo(3));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(store.object("rej-u0")).containsEntry("state", "active"));
    }

    @Test
    void a_full_sync_sweeps_what_it_did_not_see_into_pending_deletion_and_memberships_with_it() {
        String tenant = "swept";
        StoreProbe store = new StoreProbe(dataSource, tenant);
        List<SyncEvent> epoch1 = new ArrayList<>(List.of(store.started("full-1", SyncMode.FULL, 1, T0)));
        for (String user : List.of("a", "b", "gone")) {
            epoch1.add(new UserUpserted(tenant, user, "full-1", 1, T0, Map.of("displayName", user)));
        }
        epoch1.add(new GroupUpserted(tenant, "grp", "full-1", 1, T0, Map.of("displayName", "Team")));
        epoch1.add(MembershipAdded.of(tenant, "grp", "full-1", 1, T0, "a", MemberType.USER));
        epoch1.add(MembershipAdded.of(tenant, "grp", "full-1", 1, T0, "gone", MemberType.USER));
        epoch1.add(store.completed("full-1", SyncMode.FULL, 1, T0.plusSeconds(1)));
        publish(epoch1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(store.members("grp")).containsExactly("a", "gone"));

        Instant t1 = T0.plusSeconds(3600);
        publish(List.of(store.started("full-2", SyncMode.FULL, 2, t1),
                new UserUpserted(tenant, "a", "full-2", 2, t1, Map.of("displayName", "a")),
                new UserUpserted(tenant, "b", "full-2", 2, t1, Map.of("displayName", "b")),
                new GroupUpserted(tenant, "grp", "full-2", 2, t1, Map.of("displayName", "Team")),
                MembershipAdded.of(tenant, "grp", "full-2", 2, t1, "a", MemberType.USER),
                store.completed("full-2", SyncMode.FULL, 2, t1.plusSeconds(1))));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object("gone")).containsEntry("state", "pendingDeletion")
                    .containsEntry("removal_reason", "notSeenInFullSync");
            assertThat(store.object("a")).containsEntry("state", "active").containsEntry("epoch", 2L);
            assertThat(store.object("b")).containsEntry("state", "active");
            assertThat(store.members("grp")).containsExactly("a");
        });

        // the swept user shows up again (a later observation): restored
        publish(List.of(new UserUpserted(tenant, "gone", "d-3", 2, t1.plusSeconds(60), Map.of())));
        await().atMost(WAIT).untilAsserted(() -> assertThat(store.object("gone")).containsEntry("state", "active"));
    }

    @Test
    void a_delta_run_that_read_users_afresh_after_an_expired_token_sweeps_the_users_it_did_not_see_and_nothing_else()
            throws Exception {
        String tenant = "resynced";
        StoreProbe store = new StoreProbe(dataSource, tenant);
        List<SyncEvent> epoch1 = new ArrayList<>(List.of(store.started("d-1", SyncMode.DELTA, 1, T0)));
        for (String user : List.of("kept", "deleted-while-expired")) {
            epoch1.add(new UserUpserted(tenant, user, "d-1", 1, T0, Map.of("displayName", user)));
        }
        epoch1.add(new GroupUpserted(tenant, "unchanged-group", "d-1", 1, T0, Map.of("displayName", "Team")));
        epoch1.add(store.completed("d-1", SyncMode.DELTA, 1, T0.plusSeconds(1)));
        publish(epoch1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(store.object("unchanged-group")).containsEntry("state", "active"));

        // The users token had expired: a fresh initial round of users in epoch 2 (no deletions reported),
        // the groups round used its token and saw no change.
        Instant t1 = T0.plusSeconds(900);
        publish(List.of(store.started("d-2", SyncMode.DELTA, 1, t1),
                new UserUpserted(tenant, "kept", "d-2", 2, t1, Map.of("displayName", "kept")),
                store.completedWithInitialRounds("d-2", 2, t1.plusSeconds(1), List.of("users"))));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object("deleted-while-expired")).containsEntry("state", "pendingDeletion")
                    .containsEntry("removal_reason", "notSeenInFullSync");
            assertThat(store.object("kept")).containsEntry("state", "active").containsEntry("epoch", 2L);
        });
        assertThat(store.object("unchanged-group")).containsEntry("state", "active").containsEntry("epoch", 1L);
    }

    @Test
    void a_filter_change_and_a_full_sync_bring_the_store_in_line_with_mapping_and_org_units() throws Exception {
        String tenant = "scoped"; // excludes external.scoped.example, breakglass@, disabled accounts
        StoreProbe store = new StoreProbe(dataSource, tenant);
        // The store as an older configuration without these filters left it.
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement("""
                insert into directory.objects (tenant_id, object_id, kind, attributes, state, removal_reason, observed_at, epoch)
                values ('scoped', ?, 'user', ?::jsonb, ?, ?, ?, 1)""")) {
            Object[][] rows = {
                    {"in", "{\"userPrincipalName\":\"in@scoped.example\"}", "active", null},
                    {"ext", "{\"userPrincipalName\":\"x@external.scoped.example\"}", "active", null},
                    {"bg", "{\"userPrincipalName\":\"breakglass@scoped.example\"}", "active", null},
                    {"off", "{\"userPrincipalName\":\"off@scoped.example\"}", "active", null},
                    {"back", "{\"userPrincipalName\":\"back@scoped.example\"}", "removed", "outOfScope"}};
            for (Object[] row : rows) {
                insert.setString(1, (String) row[0]);
                insert.setString(2, (String) row[1]);
                insert.setString(3, (String) row[2]);
                insert.setString(4, (String) row[3]);
                insert.setTimestamp(5, java.sql.Timestamp.from(T0));
                insert.addBatch();
            }
            insert.executeBatch();
        }

        Instant t1 = T0.plusSeconds(60);
        publish(List.of(store.started("scope-full", SyncMode.FULL, 2, t1),
                new UserUpserted(tenant, "in", "scope-full", 2, t1, Map.of("userPrincipalName", "in@scoped.example",
                        "accountEnabled", true, "jobTitle", "Engineer", "department", "R&D", "companyName", "Scoped GmbH")),
                new UserUpserted(tenant, "ext", "scope-full", 2, t1, Map.of("userPrincipalName", "x@external.scoped.example",
                        "accountEnabled", true)),
                new UserUpserted(tenant, "bg", "scope-full", 2, t1, Map.of("userPrincipalName", "breakglass@scoped.example",
                        "accountEnabled", true)),
                new UserUpserted(tenant, "off", "scope-full", 2, t1, Map.of("userPrincipalName", "off@scoped.example",
                        "accountEnabled", false)),
                new UserUpserted(tenant, "back", "scope-full", 2, t1, Map.of("userPrincipalName", "back@scoped.example",
                        "accountEnabled", true, "companyName", "Unmapped Ltd")),
                new UserUpserted(tenant, "never", "scope-full", 2, t1, Map.of("userPrincipalName", "n@external.scoped.example")),
                store.completed("scope-full", SyncMode.FULL, 2, t1.plusSeconds(1))));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.object("in")).containsEntry("state", "active").containsEntry("position", "Engineer")
                    .containsEntry("abteilung", "R&D").containsEntry("orgUnit", "DE-01").doesNotContainKey("jobTitle");
            for (String out : List.of("ext", "bg", "off")) {
                assertThat(store.object(out)).as(out).containsEntry("state", "removed")
                        .containsEntry("removal_reason", "outOfScope");
            }
            assertThat(store.object("back")).containsEntry("state", "active").containsEntry("orgUnit", null);
            assertThat(store.object("never")).as("out of scope and never stored: not stored now").isNull();
        });
        given().header("Authorization", TestTokens.bearer(emulator, Roles.READER))
                .queryParam("department", "R&D").queryParam("orgUnit", "DE-01")
                .when().get("/api/tenants/scoped/users")
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].id", equalTo("in"));
    }

    private long countActive(StoreProbe store) throws Exception {
        return store.count("select count(*) from directory.objects where tenant_id = ? and state = 'active' and object_id like 'g-u%'");
    }
}
