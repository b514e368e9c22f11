package dev.idsync.audit.chain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.idsync.api.Roles;
import dev.idsync.audit.AuditTestSupport;
import dev.idsync.events.CeIds;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.EventTopicProbe;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The audit is append-only for the application, and a change made behind its back (by the table's owner,
 * who can switch the trigger off: the test resources' database user owns the schema, as in production)
 * is found by verification, which names the changed row.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class TamperingIsDetectedTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "idsync.test.emulator.url")
    String emulatorUrl;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void the_application_cannot_update_delete_or_truncate_recorded_events() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        recordEvents(tenant, 3);
        String partition = AuditTestSupport.partitions(dataSource, tenant).get(0);
        for (String sql : List.of(
                "update audit.events set actor = 'mallory' where tenant_id = '" + tenant + "'",
                "delete from audit.events where tenant_id = '" + tenant + "'",
                "truncate audit.events",
                "update audit." + partition + " set actor = 'mallory'",
                "delete from audit." + partition,
                "truncate audit." + partition)) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
        }
        assertThat(AuditTestSupport.count(dataSource, tenant)).isEqualTo(3);
    }

    @Test
    void a_row_changed_directly_in_the_database_is_reported_by_verify_as_the_first_broken_row() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        List<String> ceIds = recordEvents(tenant, 20);
        String reader = TestTokens.bearer(emulatorUrl, Roles.READER);
        given().header("Authorization", reader).queryParam("tenant", tenant)
                .when().get("/api/audit/verify")
                .then().statusCode(200)
                .body("intact", equalTo(true)).body("rowsChecked", equalTo(20)).body("headSeq", equalTo(20))
                .body("firstBroken", nullValue());

        asOwnerWithTriggerOff(tenant, "update %s set payload = convert_to('{\"displayName\":\"Mallory\"}', 'UTF8') "
                + "where seq = 7");

        String ceIdOfSeq7 = ceIdAt(tenant, 7);
        assertThat(ceIds).contains(ceIdOfSeq7);
        given().header("Authorization", reader).queryParam("tenant", tenant)
                .when().get("/api/audit/verify")
                .then().statusCode(200)
                .body("intact", equalTo(false))
                .body("firstBroken.seq", equalTo(7))
                .body("firstBroken.ceId", equalTo(ceIdOfSeq7))
                .body("rowsChecked", equalTo(7));
    }

    @Test
    void a_deleted_row_and_a_cut_off_tail_are_reported_too() throws Exception {
        String reader = TestTokens.bearer(emulatorUrl, Roles.READER);
        String middle = "t-" + UUID.randomUUID();
        recordEvents(middle, 10);
        asOwnerWithTriggerOff(middle, "delete from %s where seq = 4");
        given().header("Authorization", reader).queryParam("tenant", middle)
                .when().get("/api/audit/verify")
                .then().statusCode(200).body("intact", equalTo(false)).body("firstBroken.seq", equalTo(4));

        String tail = "t-" + UUID.randomUUID();
        recordEvents(tail, 10);
        asOwnerWithTriggerOff(tail, "delete from %s where seq > 8");
        given().header("Authorization", reader).queryParam("tenant", tail)
                .when().get("/api/audit/verify")
                .then().statusCode(200).body("intact", equalTo(false)).body("firstBroken.seq", equalTo(9));
    }

    @Test
    void verify_needs_the_reader_role_and_knows_unknown_tenants() {
        given().queryParam("tenant", "x").when().get("/api/audit/verify").then().statusCode(401);
        given().header("Authorization", TestTokens.bearer(emulatorUrl, Roles.WRITER)).queryParam("tenant", "x")
                .when().get("/api/audit/verify").then().statusCode(403);
        given().header("Authorization", TestTokens.bearer(emulatorUrl, Roles.READER))
                .queryParam("tenant", "no-such-" + UUID.randomUUID())
                .when().get("/api/audit/verify").then().statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", TestTokens.bearer(emulatorUrl, Roles.READER))
                .when().get("/api/audit/verify").then().statusCode(400)
                .body("errors[0].field", equalTo("tenant"));
    }

    private List<String> recordEvents(String tenant, int n) throws Exception {
        List<SyncEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new UserUpserted(tenant, "u" + i, "run-1", 1, T0, Map.of("displayName", "User " + i)));
        }
        EventTopicProbe.publish(bootstrapServers, events);
        await().atMost(Duration.ofSeconds(60)).until(() -> AuditTestSupport.count(dataSource, tenant) == n);
        return events.stream().map(CeIds::of).toList();
    }

    /** What someone with the owner's credentials could do: switch the trigger off, change, switch it on. */
    private void asOwnerWithTriggerOff(String tenant, String sqlOnPartition) throws SQLException {
        String partition = "audit." + AuditTestSupport.partitions(dataSource, tenant).get(0);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("alter table " + partition + " disable trigger events_append_only");
            assertThat(s.executeUpdate(sqlOnPartition.formatted(partition))).isPositive();
            s.execute("alter table " + partition + " enable trigger events_append_only");
            c.commit();
        }
    }

    private String ceIdAt(String tenant, long seq) throws SQLException {
        try (Connection c = dataSource.getConnection();
                var q = c.prepareStatement("select ce_id from audit.events where tenant_id = ? and seq = ?")) {
            q.setString(1, tenant);
            q.setLong(2, seq);
            try (var rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
