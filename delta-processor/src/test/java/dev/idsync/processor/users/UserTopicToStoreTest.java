package dev.idsync.processor.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.events.EventJson;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EventTopicProbe;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Events put on the real users topic end up in the real directory.users table. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class UserTopicToStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void upserted_user_is_stored_with_its_attributes() {
        EventTopicProbe.publish(bootstrapServers, List.of(upsert("u1", T0, Map.of("displayName", "Ada Lovelace"))));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(row("u1")).containsEntry("state", "active")
                        .containsEntry("displayName", "Ada Lovelace"));
    }

    @Test
    void an_older_observation_arriving_late_never_overwrites_a_newer_one() throws SQLException {
        EventTopicProbe.publish(bootstrapServers, List.of(
                upsert("u2", T0.plusSeconds(60), Map.of("jobTitle", "CTO")),
                upsert("u2", T0, Map.of("jobTitle", "Intern")),
                upsert("u3", T0, Map.of("jobTitle", "marker"))));

        await().atMost(Duration.ofSeconds(30)).until(() -> row("u3") != null);
        assertThat(row("u2")).containsEntry("jobTitle", "CTO");
    }

    @Test
    void soft_deleted_user_becomes_pending_and_a_later_upsert_restores_it() {
        EventTopicProbe.publish(bootstrapServers, List.of(
                upsert("u4", T0, Map.of("displayName", "Grace Hopper")),
                UserRemoved.of(tenant, "u4", "run-1", 0, T0.plusSeconds(1), RemovalReason.SOFT_DELETED)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(row("u4")).containsEntry("state", "pendingDeletion")
                        .containsEntry("removal_reason", "softDeleted")
                        .containsEntry("displayName", "Grace Hopper"));

        EventTopicProbe.publish(bootstrapServers, List.of(upsert("u4", T0.plusSeconds(2), Map.of("city", "Arlington"))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(row("u4")).containsEntry("state", "active")
                        .containsEntry("removal_reason", null)
                        .containsEntry("displayName", "Grace Hopper")
                        .containsEntry("city", "Arlington"));
    }

    @Test
    void replaying_the_same_events_changes_nothing() throws Exception {
        var events = List.of(
                upsert("u5", T0, Map.of("department", "Sales")),
                upsert("u5", T0.plusSeconds(5), Map.of("department", "Finance")));
        EventTopicProbe.publish(bootstrapServers, events);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(row("u5")).containsEntry("department", "Finance"));
        Map<String, Object> before = row("u5");

        EventTopicProbe.publish(bootstrapServers, events);
        EventTopicProbe.publish(bootstrapServers, List.of(upsert("u6", T0, Map.of())));
        await().atMost(Duration.ofSeconds(30)).until(() -> row("u6") != null);

        assertThat(row("u5")).isEqualTo(before);
    }

    private UserUpserted upsert(String user, Instant observedAt, Map<String, Object> attributes) {
        return new UserUpserted(tenant, user, "run-1", 0, observedAt, attributes);
    }

    /** The user's row as one map: columns plus its JSON attributes; null when absent. */
    private Map<String, Object> row(String user) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("""
                        select state, removal_reason, updated_at, attributes::text as attributes
                        from directory.users where tenant_id = ? and object_id = ?""")) {
            q.setString(1, tenant);
            q.setString(2, user);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> row = new HashMap<>(
                        EventJson.mapper().readValue(rs.getString("attributes"), Map.class));
                row.put("state", rs.getString("state"));
                row.put("removal_reason", rs.getString("removal_reason"));
                row.put("updated_at", rs.getTimestamp("updated_at").toInstant());
                return row;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
