package dev.idsync.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.poller.run.SyncRunner;
import dev.idsync.poller.state.DeltaState;
import dev.idsync.poller.state.DeltaStateStore;
import dev.idsync.poller.support.DirectoryView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A run stopped between pages by the shutdown path (the same {@link SyncRunner#stopAll()} the ShutdownEvent
 * calls) resumes from its checkpoint: no page published before it is fetched again, and the topics still fold
 * to Graph.
 */
@QuarkusTest
class ResumeFromCheckpointTest extends PollerQuarkusTest {

    @Inject
    SyncRunner runner;

    @Inject
    DeltaStateStore state;

    @Test
    void a_run_stopped_mid_way_resumes_from_its_checkpoint_without_fetching_earlier_pages_again() {
        String tenant = "poller-resume";
        support.createTenant(tenant, 2_000, 10, 100, 1);
        // Slow pages, so the run is surely mid-way when the stop comes.
        support.addFault(Map.of("path", "/users/delta", "type", "LATENCY", "latencyMillis", 250));
        support.control().delete("/_emulator/requests");
        String first = support.startRun(tenant, "{\"resources\":[\"users\"]}");
        await().atMost(Duration.ofSeconds(30)).until(() -> support.run(tenant, first).getLong("pages") >= 3);

        runner.stopAll();
        runner.resume();

        JsonPath stopped = support.run(tenant, first);
        assertThat(stopped.getString("state")).isEqualTo("interrupted");
        DeltaState.Checkpoint checkpoint = state.load(tenant, "users").checkpoint().orElseThrow();
        assertThat(checkpoint.pages()).isEqualTo(stopped.getLong("pages")).isLessThan(10);
        String atCheckpoint = decode(URI.create(checkpoint.nextLink()).getRawQuery());
        // The page at the checkpoint may already have been requested (the next page travels while the
        // previous one is acknowledged); it was never published. Every other request was a published page.
        Set<String> publishedBefore = queries(support.requests("/users/delta"));
        publishedBefore.remove(atCheckpoint);
        assertThat(publishedBefore).hasSize((int) checkpoint.pages());
        support.clearFaults();
        support.control().delete("/_emulator/requests");

        JsonPath resumed = support.runToCompletion(tenant, "{\"resources\":[\"users\"]}", Duration.ofMinutes(1));

        List<JsonNode> fetchedAfter = support.requests("/users/delta");
        assertThat(query(fetchedAfter.get(0))).isEqualTo(atCheckpoint);
        assertThat(queries(fetchedAfter)).doesNotContainAnyElementsOf(publishedBefore);
        assertThat(resumed.getList("notes", String.class)).anySatisfy(n -> assertThat(n)
                .contains("resumed at page " + (checkpoint.pages() + 1)).contains(first));
        assertThat(stopped.getLong("pages") + resumed.getLong("pages")).isEqualTo(10);
        assertThat(state.load(tenant, "users").checkpoint()).isEmpty();
        assertThat(DirectoryView.fold(support.observations(tenant)).users())
                .isEqualTo(support.snapshotView(tenant).users());
    }

    private static Set<String> queries(List<JsonNode> requests) {
        return requests.stream().map(ResumeFromCheckpointTest::query).collect(Collectors.toCollection(HashSet::new));
    }

    private static String query(JsonNode request) {
        return decode(request.path("query").asText(""));
    }

    private static String decode(String query) {
        return query == null ? "" : URLDecoder.decode(query, StandardCharsets.UTF_8);
    }
}
