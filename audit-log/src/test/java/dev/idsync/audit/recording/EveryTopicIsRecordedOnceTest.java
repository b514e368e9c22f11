package dev.idsync.audit.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.events.AssignmentSource;
import dev.idsync.events.CeIds;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.RoleAssignment;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EventTopicProbe;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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

/** Events on several real topics land in audit.events exactly once, also when published again. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class EveryTopicIsRecordedOnceTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void each_event_is_recorded_once_with_its_type_object_and_run_even_after_a_replay() throws Exception {
        List<SyncEvent> events = List.of(
                new SyncRunStarted(tenant, "run-1", "run-1", 1, T0, new SyncRun(SyncMode.FULL, List.of("users"), Map.of(), null)),
                new UserUpserted(tenant, "u1", "run-1", 1, T0, Map.of("displayName", "Ada")),
                MembershipAdded.of(tenant, "g1", "run-1", 1, T0, "u1", MemberType.USER),
                new RoleAssignmentGranted(tenant, "u1", null, 1, T0,
                        new RoleAssignment("User", AssignmentSource.MANUAL, null, null)));

        EventTopicProbe.publish(bootstrapServers, events);
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded().size() == events.size());

        EventTopicProbe.publish(bootstrapServers, events);
        // A marker published after the replay: once it is recorded, the replay has been consumed too.
        var marker = new UserUpserted(tenant, "marker", "run-2", 1, T0, Map.of());
        EventTopicProbe.publish(bootstrapServers, List.of(marker));
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded().containsKey(CeIds.of(marker)));

        Map<String, String> recorded = recorded();
        assertThat(recorded).hasSize(events.size() + 1);
        for (SyncEvent event : events) {
            assertThat(recorded).containsEntry(CeIds.of(event),
                    event.ceType() + " " + event.objectId() + " " + event.runId());
        }
    }

    /** ce_id → "type object run" of this tenant's rows. */
    private Map<String, String> recorded() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select ce_id, ce_type, object_id, run_id from audit.events where tenant_id = ?")) {
            q.setString(1, tenant);
            Map<String, String> rows = new HashMap<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String previous = rows.put(rs.getString(1),
                            rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                    assertThat(previous).as("ce_id %s recorded twice", rs.getString(1)).isNull();
                }
            }
            return rows;
        }
    }
}
