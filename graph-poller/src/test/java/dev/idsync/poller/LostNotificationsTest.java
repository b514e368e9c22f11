package dev.idsync.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.events.UserUpserted;
import dev.idsync.poller.run.SyncRunLedger;
import dev.idsync.poller.run.SyncRunRecord;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Notifications are a shortcut, not the record: when Graph loses one (the emulator's NOTIFICATION_LOST fault),
 * the scheduled delta run (every 2 s here; 15 minutes by default) still reads the change. Runs with the
 * scheduling profile, so it shares that Quarkus start with the other scheduling tests.
 */
@QuarkusTest
@TestProfile(SchedulingOnProfile.class)
class LostNotificationsTest extends PollerQuarkusTest {

    private static final String TENANT = "poller-notify-lossy";

    @Inject
    SyncRunLedger ledger;

    @Test
    void a_lost_notification_is_still_caught_by_the_scheduled_delta_run() {
        support.createTenant(TENANT, 20, 1, 5, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.recent(TENANT, 50).stream()
                .anyMatch(r -> "schedule".equals(r.trigger()) && "completed".equals(r.state())));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                support.control().get("/_emulator/tenants/" + TENANT + "/subscriptions").size() == 1);
        support.addFault(Map.of("path", "/graph/notifications/" + TENANT + "$", "type", "NOTIFICATION_LOST"));
        String user = support.snapshot(TENANT).path("users").get(5).path("id").asText();

        support.control().post("/_emulator/tenants/" + TENANT + "/mutations", "{\"operations\":[{\"op\":\"updateUser\","
                + "\"id\":\"" + user + "\",\"properties\":{\"jobTitle\":\"caught by the schedule\"}}]}");

        await().atMost(Duration.ofSeconds(20)).until(() -> support.observations(TENANT).stream()
                .anyMatch(e -> e instanceof UserUpserted u && u.objectId().equals(user)
                        && "caught by the schedule".equals(String.valueOf(u.data().get("jobTitle")))));
        JsonNode deliveries = support.control().get("/_emulator/tenants/" + TENANT + "/notifications");
        assertThat(StreamSupport.stream(deliveries.spliterator(), false)
                .filter(d -> "change".equals(d.path("kind").asText())).map(d -> d.path("outcome").asText()))
                .contains("lost").doesNotContain("delivered");
        assertThat(ledger.recent(TENANT, 50)).extracting(SyncRunRecord::trigger).doesNotContain("notification");
    }
}
