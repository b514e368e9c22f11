package dev.idsync.poller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunFailed;
import dev.idsync.events.Topics;
import dev.idsync.poller.state.DeltaState;
import dev.idsync.poller.state.DeltaStateStore;
import dev.idsync.poller.support.DirectoryView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Graph says "start over", throttles, or stays down: the poller recovers, waits, or fails without losing its place. */
@QuarkusTest
class GraphFailureTest extends PollerQuarkusTest {

    @Inject
    DeltaStateStore state;

    @Test
    void an_expired_token_is_kept_as_backup_and_a_new_initial_round_runs_in_a_new_epoch() {
        String tenant = "poller-gone";
        support.createTenant(tenant, 150, 10, 300, 2);
        JsonPath first = support.runToCompletion(tenant, "{\"resources\":[\"users\"]}", Duration.ofMinutes(1));
        String oldToken = state.load(tenant, "users").token().orElseThrow().deltaLink();
        support.control().post("/_emulator/tenants/" + tenant + "/delta-tokens/invalidate", "{\"response\":\"GONE\"}");

        JsonPath second = support.runToCompletion(tenant, "{\"resources\":[\"users\"]}", Duration.ofMinutes(1));

        assertThat(second.getLong("epoch")).isEqualTo(first.getLong("epoch") + 1);
        assertThat(second.getList("notes", String.class)).anySatisfy(n -> assertThat(n)
                .contains("users: delta state expired (HTTP 410").contains("token kept as backup"));
        assertThat(second.getMap("counts")).containsEntry("resyncs", 1).containsEntry("user.upserted", 150);
        DeltaState.Token token = state.load(tenant, "users").token().orElseThrow();
        assertThat(token.deltaLink()).isNotEqualTo(oldToken);
        assertThat(token.epoch()).isEqualTo(second.getLong("epoch"));
        assertThat(DirectoryView.fold(support.observations(tenant)).users())
                .isEqualTo(support.snapshotView(tenant).users());
        assertThat(support.pageObservationsOfRun(tenant, second.getString("runId"))).hasSize(150)
                .allSatisfy(e -> assertThat(e.epoch()).isEqualTo(second.getLong("epoch")));
        // The fresh round reports no deletions: the completion names it so consumers sweep what it did not see.
        String firstRun = first.getString("runId");
        String secondRun = second.getString("runId");
        List<SyncRunCompleted> completions = support.events(Topics.SYNC_RUNS, tenant).stream()
                .filter(SyncRunCompleted.class::isInstance).map(SyncRunCompleted.class::cast).toList();
        assertThat(completions).filteredOn(c -> secondRun.equals(c.runId())).singleElement()
                .satisfies(c -> assertThat(c.data().initialRounds()).containsExactly("users"));
        // The first run was an initial round too (a first sync), in the tenant's first epoch.
        assertThat(completions).filteredOn(c -> firstRun.equals(c.runId())).singleElement()
                .satisfies(c -> assertThat(c.data().initialRounds()).containsExactly("users"));
        JsonPath third = support.runToCompletion(tenant, "{\"resources\":[\"users\"]}", Duration.ofMinutes(1));
        assertThat(support.events(Topics.SYNC_RUNS, tenant).stream().filter(SyncRunCompleted.class::isInstance)
                .map(SyncRunCompleted.class::cast).filter(c -> third.getString("runId").equals(c.runId())))
                .singleElement().satisfies(c -> assertThat(c.data().initialRounds()).isEmpty());
    }

    @Test
    void a_throttling_storm_is_waited_out_honouring_retry_after_and_the_run_completes() {
        String tenant = "poller-throttle";
        support.createTenant(tenant, 600, 10, 200, 1);
        support.addFault(Map.of("path", "/users/delta", "type", "THROTTLE", "retryAfterSeconds", 1, "count", 4));
        // Four 429s in a row on the first page: the fifth attempt (idsync.poller.retry.max-attempts) gets through.
        support.control().delete("/_emulator/requests");

        JsonPath run = support.runToCompletion(tenant, "{\"resources\":[\"users\"]}", Duration.ofMinutes(1));

        assertThat(run.getMap("counts")).containsEntry("user.upserted", 600).containsEntry("graphRetries", 4);
        List<JsonNode> requests = support.requests("/users/delta");
        for (int i = 0; i + 1 < requests.size(); i++) {
            if (requests.get(i).path("status").asInt() == 429) {
                Instant throttled = Instant.parse(requests.get(i).path("receivedAt").asText());
                Instant retried = Instant.parse(requests.get(i + 1).path("receivedAt").asText());
                assertThat(Duration.between(throttled, retried)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            }
        }
        assertThat(requests).filteredOn(r -> r.path("status").asInt() == 429).hasSize(4);
    }

    @Test
    void graph_unavailable_beyond_the_retries_fails_the_run_keeps_the_token_and_the_next_run_succeeds() {
        String tenant = "poller-outage";
        support.createTenant(tenant, 100, 5, 50, 1);
        support.runToCompletion(tenant, "{\"resources\":[\"users\"]}", Duration.ofMinutes(1));
        DeltaState.Token before = state.load(tenant, "users").token().orElseThrow();
        support.control().post("/_emulator/tenants/" + tenant + "/mutations",
                "{\"operations\":[{\"op\":\"createUser\",\"properties\":{\"displayName\":\"Late Joiner\"}}]}");
        String fault = support.addFault(Map.of("path", "/users/delta", "type", "UNAVAILABLE", "retryAfterSeconds", 0));

        JsonPath failed = support.awaitEnd(tenant, support.startRun(tenant, "{\"resources\":[\"users\"]}"),
                Duration.ofMinutes(1));

        assertThat(failed.getString("state")).isEqualTo("failed");
        assertThat(failed.getString("error")).contains("503").contains("the delta token is unchanged");
        assertThat(state.load(tenant, "users").token().orElseThrow()).isEqualTo(before);
        List<SyncEvent> runEvents = support.events(Topics.SYNC_RUNS, tenant);
        assertThat(runEvents).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(SyncRunFailed.class,
                f -> {
                    assertThat(f.runId()).isEqualTo(failed.getString("runId"));
                    assertThat(f.data().reason()).contains("503");
                }));

        support.control().delete("/_emulator/faults/" + fault);
        JsonPath next = support.runToCompletion(tenant, "{\"resources\":[\"users\"]}", Duration.ofMinutes(1));

        assertThat(next.getMap("counts")).containsEntry("user.upserted", 1);
        assertThat(DirectoryView.fold(support.observations(tenant)).users())
                .isEqualTo(support.snapshotView(tenant).users());
    }
}
