package dev.idsync.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ScheduleViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_overview_shows_the_pollers_exact_next_delta_tick_and_the_full_syncs_due_time() throws Exception {
        ScheduleView view = ScheduleView.of(JSON.readTree("""
                {"tenantId": "contoso", "now": "2026-12-06T19:00:00Z",
                 "delta": {"enabled": true, "every": "PT15M", "cron": null, "nextRunAt": "2026-12-06T19:07:30.250Z"},
                 "fullSync": {"enabled": true, "every": "PT168H", "dueAt": "2026-12-13T02:00:00Z", "due": false,
                              "nextCheckAt": "2026-12-06T19:01:00Z"}}"""));

        assertThat(view.delta()).isEqualTo("2026-12-06 19:07:30 UTC");
        assertThat(view.fullSync()).isEqualTo("2026-12-13 02:00:00 UTC");
    }

    @Test
    void a_cron_schedule_gets_its_computed_time_a_due_full_sync_its_next_check_and_a_missing_time_the_reason()
            throws Exception {
        ScheduleView cron = ScheduleView.of(JSON.readTree("""
                {"delta": {"enabled": true, "cron": "0 0 2 * * ?", "nextRunAt": "2026-12-07T02:00:00Z"},
                 "fullSync": {"enabled": true, "dueAt": "2026-12-06T18:00:00Z", "due": true,
                              "nextCheckAt": "2026-12-06T19:01:00Z"}}"""));
        assertThat(cron.delta()).isEqualTo("2026-12-07 02:00:00 UTC (cron 0 0 2 * * ?)");
        assertThat(cron.fullSync()).startsWith("due since 2026-12-06 18:00:00 UTC, starts at the next check (2026-12-06 19:01:00 UTC)");

        ScheduleView off = ScheduleView.of(JSON.readTree("""
                {"delta": {"enabled": true, "every": "PT15M", "nextRunAt": null,
                           "note": "scheduled runs are off on this instance (idsync.poller.scheduler.enabled=false)"},
                 "fullSync": {"enabled": false, "note": "scheduled runs are off on this instance"}}"""));
        assertThat(off.delta()).isEqualTo("unknown: scheduled runs are off on this instance (idsync.poller.scheduler.enabled=false)");
        assertThat(off.fullSync()).isEqualTo("none (scheduled runs are off on this instance)");

        assertThat(ScheduleView.of(JSON.readTree("{\"delta\": {\"enabled\": false}, \"fullSync\": {\"enabled\": false, "
                + "\"note\": \"scheduled full syncs are off for the tenant\"}}")).delta()).isEqualTo("none (on request only)");
    }
}
