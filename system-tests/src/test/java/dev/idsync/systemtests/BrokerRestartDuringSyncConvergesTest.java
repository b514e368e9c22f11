package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.infra.test.SharedInfra;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.ApiClient;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kafka broker stopped for several seconds in the middle of an initial sync and started again in
 * place (same port, same data): no service is restarted, every one is ready again by itself, the run
 * ends (completed once its publishes got through, or failed — never stranded {@code running}), a delta
 * run afterwards brings the store to the tenant's state and the audit chain verifies.
 */
@Order(11)
@ExtendWith(ReferenceSubscriberCheck.class)
class BrokerRestartDuringSyncConvergesTest {

    private static final Duration SETTLE = Duration.ofMinutes(2);
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    @Test
    void a_broker_restart_during_a_sync_is_ridden_out_and_a_delta_run_afterwards_converges_to_the_tenant() {
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        SyncRuns runs = new SyncRuns(stack, tokens);
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.BROKER_RESTART);
        tenant.seed(4_000, 100, 5_000, 2);
        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        Map<String, Long> pids = new LinkedHashMap<>();
        stack.services().forEach(s -> pids.put(s.name(), s.pid()));

        // Slow user pages (20 of 200), so the outage surely falls inside the run.
        String slow = tenant.addFault(Map.of("path", "/users/delta", "type", "LATENCY", "latencyMillis", 250));
        String runId;
        Instant stoppedAt;
        Instant startedAt;
        try {
            runId = runs.start(tenant.id(), "{}");
            Eventually.noDifferences("three pages done", () -> runs.get(tenant.id(), runId).path("pages").asLong() >= 3
                    ? List.of() : List.of("fewer than 3 pages"), Duration.ofMinutes(1));
            SharedInfra.stopKafkaServer();
            stoppedAt = Instant.now();
            try {
                Thread.sleep(OUTAGE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } finally {
            SharedInfra.startKafkaServer();
            startedAt = Instant.now();
            tenant.removeFault(slow);
        }

        Duration allReady = Eventually.noDifferences("every service ready after the broker restart", () -> {
            List<String> out = new ArrayList<>();
            for (ServiceProcess s : stack.services()) {
                if (!s.isAlive() || s.pid() != pids.get(s.name())) {
                    out.add(s.name() + " is not the process from before the restart");
                } else if (!s.ready()) {
                    out.add(s.name() + " not ready");
                }
            }
            return out;
        }, SETTLE);

        JsonNode during = runs.await(tenant.id(), runId, SETTLE);
        assertThat(during.path("state").asText()).as("the run the broker went away under: " + during).isIn("completed", "failed");

        Instant t0 = Instant.now();
        JsonNode next = runs.runToCompletion(tenant.id(), "{}", SETTLE);
        DirectoryState entra = DirectoryState.fromSnapshot(tenant.snapshot());
        Duration converged = Eventually.noDifferences("store of " + tenant.id() + " after the broker restart",
                () -> store.read().differencesTo(entra, 20), SETTLE);
        assertThat(stack.services()).allSatisfy(s -> assertThat(s.pid()).isEqualTo(pids.get(s.name())));

        ApiClient audit = new ApiClient(stack.url(Stack.AUDIT), tokens.reader());
        Eventually.noDifferences("audit chain of " + tenant.id(), () -> {
            ApiClient.Response r = audit.get("/api/audit/verify?tenant=" + tenant.id());
            return r.status() == 200 && r.body().path("intact").asBoolean() && r.body().path("rowsChecked").asLong() > 0
                    ? List.of() : List.of("verify: " + r.status() + " " + r.text());
        }, SETTLE);

        Timings.report("broker restart", ("broker down %d ms (stop included) during run %s; every service ready %d ms after"
                + " it was back (same processes); the run ended %s after %d ms (%s); next delta run %d ms (pages %s), store"
                + " equal %d ms after it ended; %d ms in all after the restart").formatted(
                Duration.between(stoppedAt, startedAt).toMillis(), runId, allReady.toMillis(), during.path("state").asText(),
                during.path("durationMillis").asLong(), during.path("error").asText(), next.path("durationMillis").asLong(),
                next.path("pages"), converged.toMillis(), Duration.between(t0, Instant.now()).toMillis()));
    }
}
