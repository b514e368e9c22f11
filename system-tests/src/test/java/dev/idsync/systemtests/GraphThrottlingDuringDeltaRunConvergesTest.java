package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import dev.idsync.systemtests.topics.ReferenceSubscriberCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Graph throttling (429 with {@code Retry-After}) on users and unavailability (503) on groups in the
 * middle of a delta run that carries changes: the poller retries, the run completes and counts the
 * retries, and the store ends equal to the tenant.
 */
@Order(12)
@ExtendWith(ReferenceSubscriberCheck.class)
class GraphThrottlingDuringDeltaRunConvergesTest {

    private static final Duration SETTLE = Duration.ofMinutes(2);

    @Test
    void a_delta_run_throttled_and_refused_by_graph_completes_and_the_store_equals_the_tenant() {
        Stack stack = Stack.get();
        SyncRuns runs = new SyncRuns(stack, new Tokens(stack));
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.GRAPH_FAULTS);
        tenant.seed(300, 20, 600, 2);
        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        runs.runToCompletion(tenant.id(), "{}", SETTLE);
        converge("initial sync", tenant, store);
        List<String> users = StreamSupport.stream(tenant.snapshot().path("users").spliterator(), false)
                .map(u -> u.path("id").asText()).toList();

        SyncRuns.awaitNextSecond();
        tenant.mutate(List.of(
                Map.of("op", "updateUser", "id", users.get(0), "properties", Map.of("jobTitle", "Throttled title")),
                Map.of("op", "softDeleteUser", "id", users.get(1))));
        List<String> faults = new ArrayList<>();
        JsonNode run;
        try {
            faults.add(tenant.addFault(Map.of("path", "/users/delta", "type", "THROTTLE", "retryAfterSeconds", 1, "count", 3)));
            faults.add(tenant.addFault(Map.of("path", "/groups/delta", "type", "UNAVAILABLE", "count", 2)));
            run = runs.runToCompletion(tenant.id(), "{}", SETTLE);
        } finally {
            faults.forEach(tenant::removeFault);
        }
        assertThat(run.path("counts").path("graphRetries").asLong()).as("retries of the run: " + run).isEqualTo(5);
        Duration converged = converge("after 429 and 503", tenant, store);
        assertThat(store.object(users.get(1)).orElseThrow().state()).isEqualTo("pendingDeletion");

        Timings.report("graph throttling", "delta run with 3x429 (Retry-After 1 s) + 2x503: %d ms, %d retries, store equal %d ms after"
                .formatted(run.path("durationMillis").asLong(), run.path("counts").path("graphRetries").asLong(),
                        converged.toMillis()));
    }

    private static Duration converge(String what, EmulatorTenant tenant, DirectoryStore store) {
        DirectoryState entra = DirectoryState.fromSnapshot(tenant.snapshot());
        return Eventually.noDifferences(what + ": store of " + tenant.id() + " against the emulator",
                () -> store.read().differencesTo(entra, 20), SETTLE);
    }
}
