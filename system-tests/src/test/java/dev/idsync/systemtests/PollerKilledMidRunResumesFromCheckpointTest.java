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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kill -9} of graph-poller in the middle of an initial round: no shutdown path, so nothing ends
 * the run. Started again, the next run closes the dead one (not left {@code running}), resumes the
 * users round at the checkpoint of the last acknowledged page instead of the first page, and the store
 * ends equal to the tenant.
 */
@Order(8)
@ExtendWith(ReferenceSubscriberCheck.class)
class PollerKilledMidRunResumesFromCheckpointTest {

    private static final Duration SETTLE = Duration.ofMinutes(2);
    private static final String USERS_DELTA = "/users/delta";
    /** graph-poller's {@code idsync.poller.pages-in-flight} default: what a crash may fetch again. */
    private static final int PAGES_IN_FLIGHT = 4;

    @Test
    void a_poller_killed_mid_run_closes_the_dead_run_and_resumes_from_its_checkpoint_on_the_next_run() {
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.POLLER_KILLED);
        tenant.seed(3_000, 60, 3_000, 2);
        DirectoryState entra = DirectoryState.fromSnapshot(tenant.snapshot());
        DirectoryStore store = new DirectoryStore(stack, tenant.id());

        // Slow user pages (15 of 200), so the kill surely lands mid-way through the users round.
        tenant.clearRequestLog();
        String slow = tenant.addFault(Map.of("path", USERS_DELTA, "type", "LATENCY", "latencyMillis", 300));
        String dead;
        JsonNode atKill;
        List<String> fetchedBefore;
        try {
            SyncRuns runs = new SyncRuns(stack, tokens);
            dead = runs.start(tenant.id(), "{}");
            // The users round, not the run: groups and roles are read beside it and count their pages too. A
            // users page is checkpointed once acknowledged, while later ones are fetched (up to PAGES_IN_FLIGHT
            // ahead), so after a few more requests than that the earliest pages surely are.
            Eventually.noDifferences("users pages checkpointed", () -> tenant.requests(USERS_DELTA, "GET").size()
                    >= PAGES_IN_FLIGHT + 2 ? List.of() : List.of("fewer than " + (PAGES_IN_FLIGHT + 2) + " users pages"),
                    Duration.ofMinutes(1));
            stack.kill(Stack.POLLER);
            fetchedBefore = queries(tenant.requests(USERS_DELTA, "GET"));
        } finally {
            tenant.removeFault(slow);
        }
        tenant.clearRequestLog();

        Instant t0 = Instant.now();
        stack.start(Stack.POLLER);
        // A new client: the poller listens on a new port.
        SyncRuns runs = new SyncRuns(stack, tokens);
        Duration ready = Duration.between(t0, Instant.now());
        atKill = runs.get(tenant.id(), dead);
        // Nothing could close the run when its JVM died: the ledger still says running.
        assertThat(atKill.path("state").asText()).as("the killed run before the next one starts: " + atKill).isEqualTo("running");
        long pagesDone = atKill.path("pages").asLong();
        assertThat(pagesDone).as("pages of the killed run").isGreaterThanOrEqualTo(2L);
        assertThat(fetchedBefore).as("users pages of the killed run: mid-way through its 15").hasSizeBetween(3, 14);

        String next = runs.start(tenant.id(), "{}");
        JsonNode closed = runs.get(tenant.id(), dead);
        assertThat(closed.path("state").asText()).as("the killed run once the next one started: " + closed)
                .isIn("interrupted", "failed");
        JsonNode resumed = runs.await(tenant.id(), next, SETTLE);
        assertThat(resumed.path("state").asText()).as("the next run: " + resumed).isEqualTo("completed");

        // The resumed round began at a checkpoint ($skiptoken), not at the first page, and fetched again at
        // most the pages in flight and the one requested ahead of them; the rest of the earlier pages not at all.
        List<String> fetchedAfter = queries(tenant.requests(USERS_DELTA, "GET"));
        assertThat(fetchedAfter).as("users/delta requests of the resumed run").isNotEmpty();
        assertThat(fetchedAfter.get(0)).as("first users page of the resumed run").contains("$skiptoken=")
                .isNotEqualTo(fetchedBefore.get(0));
        Set<String> again = new LinkedHashSet<>(fetchedAfter);
        again.retainAll(fetchedBefore);
        assertThat(again).as("pages fetched by the killed run and again by the resumed one").hasSizeLessThanOrEqualTo(PAGES_IN_FLIGHT + 1);
        assertThat(fetchedAfter).doesNotContain(fetchedBefore.get(0));

        Duration converged = Eventually.noDifferences("store of " + tenant.id() + " after the resumed run",
                () -> store.read().differencesTo(entra, 20), SETTLE);
        assertThat(store.read().differencesTo(DirectoryState.fromSnapshot(tenant.snapshot()), 20)).isEmpty();
        Timings.report("poller killed", ("killed after %d pages (%d users/delta requests); restarted poller ready in %d ms;"
                + " the dead run read %s once the next started; the next resumed with %d users/delta requests (%d repeated),"
                + " completed in %d ms (notes %s); store equal %d ms after").formatted(pagesDone, fetchedBefore.size(),
                ready.toMillis(), closed.path("state").asText(), fetchedAfter.size(), again.size(),
                resumed.path("durationMillis").asLong(), resumed.path("notes"), converged.toMillis()));
    }

    private static List<String> queries(List<JsonNode> requests) {
        return requests.stream().map(r -> URLDecoder.decode(r.path("query").asText(""), StandardCharsets.UTF_8)).toList();
    }
}
