package dev.idsync.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunView run(String json) throws Exception {
        return RunView.of(JSON.readTree(json));
    }

    @Test
    void a_running_runs_rate_and_eta_come_from_its_counts_and_the_last_full_runs_size() throws Exception {
        RunView running = run("""
                {"runId": "r1", "mode": "delta", "state": "running", "startedAt": "2026-12-06T10:00:00Z",
                 "durationMillis": 10000, "pages": 4, "counts": {"user.upserted": 300, "group.upserted": 100}}""");
        assertThat(running.objects()).isEqualTo(400);
        assertThat(running.rate()).isEqualTo(40.0);
        assertThat(running.etaSeconds(1200L)).isEqualTo(20);
        assertThat(running.etaText(null)).as("no full run to estimate from: no ETA").isEqualTo("unknown");
        assertThat(running.etaSeconds(300L)).as("already past the estimate").isNull();
    }

    @Test
    void the_chart_draws_two_bars_per_finished_run_of_the_last_30_days_only() throws Exception {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        List<RunView> runs = List.of(
                run("""
                        {"runId": "new", "mode": "delta", "state": "completed", "startedAt": "2026-12-05T10:00:00Z",
                         "durationMillis": 2000, "counts": {"user.upserted": 5}}"""),
                run("""
                        {"runId": "old", "mode": "full", "state": "completed", "startedAt": "2026-10-01T10:00:00Z",
                         "durationMillis": 9000, "counts": {"user.upserted": 50}}"""),
                run("""
                        {"runId": "now", "mode": "delta", "state": "running", "startedAt": "2026-12-06T11:59:00Z",
                         "durationMillis": 1000, "counts": {}}"""));
        String svg = RunChart.svg(runs, now);
        assertThat(svg).startsWith("<svg").contains("role=\"img\"").contains("of 1 runs in the last 30 days");
        assertThat(svg.split("<rect", -1)).hasSize(3);
        assertThat(svg).contains("5 changes").doesNotContain("50 changes");
    }
}
