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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL stopped for several seconds in the middle of a large initial sync and started again: no
 * service is restarted, every one is ready again by itself, the run that lost its database is recorded
 * as ended (not stranded {@code running}), the next delta run brings the store to the tenant's state,
 * and role-mapper and audit-log go on working (a group joined afterwards grants its role; the audit
 * chain verifies).
 */
@Order(10)
@ExtendWith(ReferenceSubscriberCheck.class)
class DatabaseRestartDuringSyncConvergesTest {

    private static final Duration SETTLE = Duration.ofMinutes(2);
    private static final Duration OUTAGE = Duration.ofSeconds(6);

    @Test
    void a_postgres_restart_during_a_large_sync_is_ridden_out_and_the_next_delta_run_converges_to_the_tenant() {
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        SyncRuns runs = new SyncRuns(stack, tokens);
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.DATABASE_RESTART);
        tenant.seed(5_000, 300, 10_000, 4);
        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        stack.services().forEach(s -> pids.put(s.name(), s.pid()));

        // Slow user pages (25 of 200), so the outage surely falls inside the run.
        String slow = tenant.addFault(Map.of("path", "/users/delta", "type", "LATENCY", "latencyMillis", 200));
        String runId;
        Instant stoppedAt;
        Instant startedAt;
        try {
            runId = runs.start(tenant.id(), "{}");
            Eventually.noDifferences("five pages done", () -> runs.get(tenant.id(), runId).path("pages").asLong() >= 5
                    ? List.of() : List.of("fewer than 5 pages"), Duration.ofMinutes(1));
            SharedInfra.stopPostgresServer();
            stoppedAt = Instant.now();
            try {
                Thread.sleep(OUTAGE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } finally {
            SharedInfra.startPostgresServer();
            startedAt = Instant.now();
            tenant.removeFault(slow);
        }

        // Every service rides it out: the same processes, ready again without a restart.
        Duration allReady = Eventually.noDifferences("every service ready after the database restart", () -> {
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
        assertThat(stack.services()).allSatisfy(s -> assertThat(s.pid()).isEqualTo(pids.get(s.name())));

        JsonNode lost = awaitEnded(runs, tenant.id(), runId);
        assertThat(lost.path("state").asText()).as("the run the database went away under: " + lost).isIn("failed", "interrupted");

        Instant t0 = Instant.now();
        JsonNode next = runs.runToCompletion(tenant.id(), "{}", SETTLE);
        DirectoryState entra = DirectoryState.fromSnapshot(tenant.snapshot());
        Duration converged = Eventually.noDifferences("store of " + tenant.id() + " after the database restart",
                () -> store.read().differencesTo(entra, 20), SETTLE);
        Duration syncAfter = Duration.between(t0, Instant.now());

        // role-mapper still consumes: a user who joins the tenant's HR group now gets the role.
        JsonNode snapshot = tenant.snapshot();
        String hrName = "App-" + ScenarioTenant.DATABASE_RESTART.displayName() + "-HR";
        String hrGroup = StreamSupport.stream(snapshot.path("groups").spliterator(), false)
                .filter(g -> hrName.equals(g.path("displayName").asText())).map(g -> g.path("id").asText())
                .findFirst().orElseGet(() -> tenant.mutate(List.of(Map.of("op", "createGroup", "properties", Map.of(
                        "displayName", hrName, "mailNickname", "app-hr", "securityEnabled", true)))).get(0));
        Set<String> inHr = new TreeSet<>();
        snapshot.path("groups").forEach(g -> {
            if (hrGroup.equals(g.path("id").asText())) {
                g.path("members").forEach(m -> inHr.add(m.asText()));
            }
        });
        String user = StreamSupport.stream(snapshot.path("users").spliterator(), false)
                .filter(u -> u.path("accountEnabled").asBoolean()).map(u -> u.path("id").asText())
                .filter(id -> !inHr.contains(id)).findFirst().orElseThrow();
        SyncRuns.awaitNextSecond();
        tenant.mutate(List.of(Map.of("op", "addMember", "groupId", hrGroup, "memberId", user)));
        runs.runToCompletion(tenant.id(), "{}", SETTLE);
        ApiClient roles = new ApiClient(stack.url(Stack.ROLE_MAPPER), tokens.reader());
        String rolesPath = "/api/tenants/" + tenant.id() + "/users/" + user + "/roles";
        Eventually.noDifferences("HR granted by role-mapper after the database restart", () -> {
            ApiClient.Response r = roles.get(rolesPath);
            boolean hr = r.status() == 200 && StreamSupport.stream(r.body().path("roles").spliterator(), false)
                    .anyMatch(role -> "HR".equals(role.path("role").asText()) && role.path("active").asBoolean(true)
                            && StreamSupport.stream(role.path("assignments").spliterator(), false)
                            .anyMatch(a -> hrGroup.equals(a.path("groupId").asText())));
            return hr ? List.of() : List.of("roles of " + user + ": " + r.status() + " " + r.text());
        }, SETTLE);
        assertThat(store.read().differencesTo(DirectoryState.fromSnapshot(tenant.snapshot()), 20)).isEmpty();

        // audit-log recorded through it: the tenant's chain is intact.
        ApiClient audit = new ApiClient(stack.url(Stack.AUDIT), tokens.reader());
        Eventually.noDifferences("audit chain of " + tenant.id(), () -> {
            ApiClient.Response r = audit.get("/api/audit/verify?tenant=" + tenant.id());
            return r.status() == 200 && r.body().path("intact").asBoolean() && r.body().path("rowsChecked").asLong() > 0
                    ? List.of() : List.of("verify: " + r.status() + " " + r.text());
        }, SETTLE);

        Timings.report("database restart", ("PostgreSQL down %d ms during run %s; every service ready %d ms after it was back"
                + " (same processes); the run ended %s (%s); next delta run %d ms (pages %s), store equal %d ms after it"
                + " ended").formatted(Duration.between(stoppedAt, startedAt).toMillis(), runId, allReady.toMillis(),
                lost.path("state").asText(), lost.path("error").asText(), next.path("durationMillis").asLong(),
                next.path("pages"), converged.toMillis()) + "; sync after the restart %d ms".formatted(syncAfter.toMillis()));
    }

    /** The poller's API reads the ledger from PostgreSQL: answers during its recovery may be errors. */
    private static JsonNode awaitEnded(SyncRuns runs, String tenantId, String runId) {
        Instant deadline = Instant.now().plus(SETTLE);
        while (true) {
            try {
                JsonNode run = runs.get(tenantId, runId);
                if (!"running".equals(run.path("state").asText())) {
                    return run;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("run " + runId + " still running " + SETTLE + " after the database restart: " + run);
                }
            } catch (AssertionError | IllegalStateException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw notYet;
                }
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
