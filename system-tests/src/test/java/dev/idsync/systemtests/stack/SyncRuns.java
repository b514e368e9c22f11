package dev.idsync.systemtests.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/** Runs on graph-poller over its API (admin token), waited for until they end. */
public final class SyncRuns {

    private final ApiClient admin;

    public SyncRuns(Stack stack, Tokens tokens) {
        this.admin = new ApiClient(stack.url(Stack.POLLER), tokens.admin());
    }

    /** Starts a run (202) and returns its id. */
    public String start(String tenantId, String body) {
        return admin.post("/api/tenants/" + tenantId + "/sync-runs", body).expect(202).body().path("runId").asText();
    }

    public JsonNode get(String tenantId, String runId) {
        return admin.get("/api/tenants/" + tenantId + "/sync-runs/" + runId).expect(200).body();
    }

    /** Starts a run and waits until it ended; fails unless it completed. Returns the run as the API shows it. */
    public JsonNode runToCompletion(String tenantId, String body, Duration atMost) {
        String runId = start(tenantId, body);
        JsonNode run = await(tenantId, runId, atMost);
        if (!"completed".equals(run.path("state").asText())) {
            throw new AssertionError("run " + runId + " of " + tenantId + " did not complete: " + run);
        }
        return run;
    }

    /** Waits until the run is no longer {@code running} and returns it as the API shows it then. */
    public JsonNode await(String tenantId, String runId, Duration atMost) {
        Instant deadline = Instant.now().plus(atMost);
        JsonNode run = get(tenantId, runId);
        while ("running".equals(run.path("state").asText())) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("run " + runId + " of " + tenantId + " still running after " + atMost + ": " + run);
            }
            sleep(200);
            run = get(tenantId, runId);
        }
        return run;
    }

    /**
     * Waits until the wall clock has passed the next whole second. Graph's {@code Date} header, which
     * becomes an observation's {@code observedAt}, has whole seconds; consumers let an observation win only
     * over an older one (or an equal one adding attributes). graph-poller now keeps {@code observedAt}
     * strictly increasing per tenant and resource (its README), but profile-writer's confirmed re-read
     * carries Graph's {@code Date} as it is, so scenarios that change objects they have just synced still
     * wait this long: they show the behaviour the design promises, not a same-second tie.
     */
    public static void awaitNextSecond() {
        long now = System.currentTimeMillis();
        sleep(1_000 - now % 1_000 + 50);
    }

    /** Thread.sleep that turns an interrupt into an unchecked exception (keeping the interrupt flag). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
