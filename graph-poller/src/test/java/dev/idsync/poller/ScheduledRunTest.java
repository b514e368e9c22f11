package dev.idsync.poller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.poller.run.SyncRunLedger;
import dev.idsync.poller.run.SyncRunRecord;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With scheduling on, the tenant whose idsync.yaml entry says {@code every: 2s} (the emulator's demo tenant
 * contoso) gets delta runs without anyone asking. Its own profile, so no other test meets scheduled runs.
 */
@QuarkusTest
@TestProfile(SchedulingOnProfile.class)
class ScheduledRunTest extends PollerQuarkusTest {

    @Inject
    SyncRunLedger ledger;

    @Test
    void the_schedule_fires_delta_runs_for_a_tenant_with_an_interval() {
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.recent("contoso", 20).stream()
                .filter(r -> "schedule".equals(r.trigger()) && "completed".equals(r.state())).count() >= 2);

        List<SyncRunRecord> runs = ledger.recent("contoso", 20);
        assertThat(runs).filteredOn(r -> "schedule".equals(r.trigger()))
                .allSatisfy(r -> assertThat(r.resources()).containsExactly("users", "groups", "directoryRoles"));
        // The schedule API tells the next tick of the tenant's job exactly (every 2 s) and its full sync's due time.
        Instant asked = Instant.now();
        var schedule = given().header("Authorization", support.admin()).get("/api/tenants/contoso/schedule")
                .then().statusCode(200).extract().jsonPath();
        assertThat(schedule.getBoolean("delta.enabled")).isTrue();
        assertThat(Instant.parse(schedule.getString("delta.nextRunAt")))
                .isBetween(asked.minusSeconds(1), asked.plusSeconds(3));
        assertThat(schedule.getBoolean("fullSync.enabled")).isTrue();
        assertThat(Instant.parse(schedule.getString("fullSync.dueAt"))).as("weekly, from the baseline").isAfter(asked);
        assertThat(schedule.getString("fullSync.nextCheckAt")).isNotNull();
        given().header("Authorization", support.admin()).get("/api/tenants/no-such-tenant/schedule")
                .then().statusCode(404).contentType("application/problem+json");
        // Only other test tenants are configured with scheduling disabled.
        assertThat(ledger.recent("poller-initial", 50)).noneMatch(r -> "schedule".equals(r.trigger()));
    }
}
