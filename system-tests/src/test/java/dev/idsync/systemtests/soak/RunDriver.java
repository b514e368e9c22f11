package dev.idsync.systemtests.soak;

import dev.idsync.systemtests.soak.SoakSchedule.Action;
import dev.idsync.systemtests.stack.ApiClient;
import dev.idsync.systemtests.stack.ServiceProcess;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Tokens;
import java.util.List;
import java.util.Random;

/**
 * The soak's runs and gate decisions, each sent to a random running instance: admin-triggered delta and
 * full runs on graph-poller (overlapping with the scheduled ones and each other: a busy tenant answers 409),
 * a mass deletion followed by a run, and an admin approving what is held on delta-processor.
 */
public final class RunDriver {

    /** How long an approval waits for a mass deletion's run to hold it. */
    private static final int HOLD_WAIT_SECONDS = 20;

    private final Stack stack;
    private final Tokens tokens;
    private final String tenantId;
    private final MutationDriver mutations;
    private final SoakTally tally;
    /** A mass deletion was made and no approval has seen it held yet. */
    private boolean massDeletionOutstanding;

    public RunDriver(Stack stack, Tokens tokens, String tenantId, MutationDriver mutations, SoakTally tally) {
        this.stack = stack;
        this.tokens = tokens;
        this.tenantId = tenantId;
        this.mutations = mutations;
        this.tally = tally;
    }

    public void apply(Action action, long seed) {
        Random random = new Random(seed);
        switch (action) {
            case DELTA_RUN -> startRun("delta", random);
            case FULL_RUN -> startRun("full", random);
            case MASS_DELETION -> {
                tally.add("mass deletion: users soft-deleted at once", mutations.massDeletion(seed));
                tally.count("mass deletion");
                massDeletionOutstanding = true;
                startRun("delta", random);
            }
            case APPROVE_HELD -> approveHeld(random);
            default -> throw new IllegalArgumentException(action + " is no run");
        }
    }

    private void startRun(String mode, Random random) {
        ApiClient poller = client(Stack.POLLER, random);
        if (poller == null) {
            tally.count("run " + mode + " not asked: no poller instance running");
            return;
        }
        try {
            ApiClient.Response r = poller.post("/api/tenants/" + tenantId + "/sync-runs", "{\"mode\":\"" + mode + "\"}");
            tally.count("run " + mode + " asked: " + switch (r.status()) {
                case 202 -> "started";
                case 409 -> "busy (409)";
                default -> "answered " + r.status();
            });
        } catch (IllegalStateException unreachable) {
            // The instance died between the choice and the request (a kill, a stopped database).
            tally.count("run " + mode + " asked: instance unreachable");
        }
    }

    private void approveHeld(Random random) {
        ApiClient processor = client(Stack.PROCESSOR, random);
        if (processor == null) {
            tally.count("approval skipped: no delta-processor instance running");
            return;
        }
        try {
            ApiClient.Response held = processor.get(pendingPath());
            // The mass deletion's run may still be under way (or waiting for a scheduled one): give it a while.
            for (int i = 0; i < HOLD_WAIT_SECONDS && massDeletionOutstanding && held.status() == 200
                    && held.body().path("count").asLong() == 0; i++) {
                SyncRuns.sleep(1_000);
                held = processor.get(pendingPath());
            }
            if (held.status() != 200) {
                tally.count("approval: pending deletions answered " + held.status());
                return;
            }
            if (held.body().path("count").asLong() == 0) {
                tally.count("approval: nothing held");
                return;
            }
            massDeletionOutstanding = false;
            ApiClient.Response approved = processor.post(pendingPath() + "/approve", "");
            tally.count("approval: answered " + approved.status());
            tally.add("approval: deletions applied", approved.body().path("applied").asLong());
        } catch (IllegalStateException unreachable) {
            tally.count("approval: instance unreachable");
        }
    }

    public String pendingPath() {
        return "/api/tenants/" + tenantId + "/pending-deletions";
    }

    /** An admin client of a random running instance of the service; null when none runs. */
    private ApiClient client(String service, Random random) {
        List<ServiceProcess> running = stack.services().stream()
                .filter(s -> stack.instancesOf(service).contains(s.name()) && s.isAlive()).toList();
        if (running.isEmpty()) {
            return null;
        }
        return new ApiClient(running.get(random.nextInt(running.size())).url(), tokens.admin());
    }
}
