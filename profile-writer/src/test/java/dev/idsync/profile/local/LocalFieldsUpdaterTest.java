package dev.idsync.profile.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idsync.events.ProfileUpdated;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
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
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Local-only profile fields are stored in profile.local_profiles and announced on the real profile topic. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class LocalFieldsUpdaterTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    LocalFieldsUpdater updater;

    @Inject
    AgroalDataSource dataSource;

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void an_update_is_stored_and_published_with_before_after_and_actor() throws SQLException {
        var first = new LocalFields("employee", "active", true, false, null, LocalDate.of(2024, 1, 15), null);
        var second = new LocalFields("contractor", "active", false, true, "Art. 18 request", LocalDate.of(2024, 1, 15),
                LocalDate.of(2026, 12, 31));
        updater.update(tenant, "u1", first, "admin@contoso.example", "req-1");
        ProfileUpdated published = updater.update(tenant, "u1", second, "hr@contoso.example", "req-2");

        assertThat(storedVersionAndType("u1")).isEqualTo("2 contractor");
        List<ConsumerRecord<String, SyncEvent>> records = EventTopicProbe.readUntil(bootstrapServers, Topics.PROFILE_CHANGES,
                seen -> seen.stream().anyMatch(r -> published.equals(r.value())), Duration.ofSeconds(30));
        ProfileUpdated event = (ProfileUpdated) records.stream().map(ConsumerRecord::value)
                .filter(published::equals).findFirst().orElseThrow();
        assertThat(event.data().actor()).isEqualTo("hr@contoso.example");
        assertThat(event.data().before()).containsEntry("employeeType", "employee").containsEntry("remoteWork", true);
        assertThat(event.data().after()).containsEntry("employeeType", "contractor")
                .containsEntry("gdprReason", "Art. 18 request").containsEntry("exitDate", "2026-12-31");
    }

    @Test
    void a_change_the_database_refuses_is_neither_stored_nor_published() throws SQLException {
        // The schema refuses an exit date before the entry date (the API validates first; this is the last line).
        var invalid = new LocalFields("employee", "active", null, false, null, LocalDate.of(2025, 6, 1),
                LocalDate.of(2025, 1, 1));
        assertThatThrownBy(() -> updater.update(tenant, "u2", invalid, "admin@contoso.example", "req-3"))
                .isInstanceOf(IllegalStateException.class);

        assertThat(storedVersionAndType("u2")).isNull();
        var marker = updater.update(tenant, "u3", LocalFields.NONE, "admin@contoso.example", "req-4");
        List<ConsumerRecord<String, SyncEvent>> records = EventTopicProbe.readUntil(bootstrapServers, Topics.PROFILE_CHANGES,
                seen -> seen.stream().anyMatch(r -> marker.equals(r.value())), Duration.ofSeconds(30));
        assertThat(records).noneMatch(r -> r.value().objectId().equals("u2") && r.value().tenantId().equals(tenant));
    }

    private String storedVersionAndType(String user) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select version, employee_type from profile.local_profiles where tenant_id = ? and user_id = ?")) {
            q.setString(1, tenant);
            q.setString(2, user);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) + " " + rs.getString(2) : null;
            }
        }
    }
}
