package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.ServiceProcess;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import dev.idsync.systemtests.topics.ReferenceSubscriberCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kill -9} of delta-processor while it applies an initial sync: no shutdown hook, no offset
 * commit, a database transaction cut off mid-way. Started again, it re-reads from its last committed
 * offsets (so part of what it had applied comes again) and the store ends equal to the tenant.
 */
@Order(7)
@ExtendWith(ReferenceSubscriberCheck.class)
class ProcessorKilledMidSyncConvergesAfterRestartTest {

    /** The restarted processor's way back ({@link Stack#CONSUMER_BACK_AFTER_KILL}) and a minute to apply the rest. */
    private static final Duration SETTLE = Stack.CONSUMER_BACK_AFTER_KILL.plusMinutes(1);

    @Test
    void a_delta_processor_killed_while_applying_an_initial_sync_converges_to_the_tenant_after_a_restart() {
        Stack stack = Stack.get();
        SyncRuns runs = new SyncRuns(stack, new Tokens(stack));
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.PROCESSOR_KILLED);
        tenant.seed(10_000, 200, 10_000, 4);
        DirectoryState entra = DirectoryState.fromSnapshot(tenant.snapshot());
        int users = entra.users().size() + entra.pendingUsers().size();
        DirectoryStore store = new DirectoryStore(stack, tenant.id());

        // Slower user pages (50 of them), so the processor is surely mid-way through the users when it dies.
        String slow = tenant.addFault(Map.of("path", "/users/delta", "type", "LATENCY", "latencyMillis", 100));
        long storedAtKill;
        Instant killedAt;
        String runId;
        try {
            runId = runs.start(tenant.id(), "{}");
            Eventually.noDifferences("a fifth of the users applied", () -> store.count("user") >= users / 5 ? java.util.List.of()
                    : java.util.List.of("fewer than a fifth of the users stored"), Duration.ofMinutes(1));
            stack.kill(Stack.PROCESSOR);
            killedAt = Instant.now();
            // Read after the kill: what the dead processor had committed.
            storedAtKill = store.count("user");
        } finally {
            tenant.removeFault(slow);
        }
        assertThat(storedAtKill).as("users stored when delta-processor was killed (mid-way through %d)", users)
                .isPositive().isLessThan(users);

        // The poller goes on publishing; the topics keep what the processor has not read.
        JsonNode run = runs.await(tenant.id(), runId, SETTLE);
        assertThat(run.path("state").asText()).isEqualTo("completed");
        Instant t0 = Instant.now();
        ServiceProcess processor = stack.start(Stack.PROCESSOR);
        Duration ready = Duration.between(t0, Instant.now());
        // Issue 16 item 3: the kill -9 recovery time, from the launch to the first record applied (nothing
        // else writes the store meanwhile, so the first change of its user count is the restarted processor's).
        Eventually.noDifferences("a first record applied by the restarted processor", () -> store.count("user") > storedAtKill
                ? java.util.List.of() : java.util.List.of("still " + storedAtKill + " users stored"), Stack.CONSUMER_BACK_AFTER_KILL);
        Duration firstApplied = Duration.between(t0, Instant.now());
        Duration converged = Eventually.noDifferences("store of " + tenant.id() + " after the killed processor restarted",
                () -> store.read().differencesTo(entra, 20), SETTLE);

        assertThat(processor.isAlive()).isTrue();
        assertThat(store.read().differencesTo(DirectoryState.fromSnapshot(tenant.snapshot()), 20)).isEmpty();
        Timings.report("processor killed", ("%d users, killed with %d stored; run completed %d ms after the kill; restarted"
                + " processor ready in %d ms, first record applied %d ms after its launch (kill -9 recovery time), store"
                + " equal to the snapshot %d ms after that").formatted(users, storedAtKill, Duration.between(killedAt, t0).toMillis(),
                ready.toMillis(), firstApplied.toMillis(), converged.toMillis()));
    }
}
