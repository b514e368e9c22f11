package dev.idsync.systemtests.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.ApiClient;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.RoleMapperRoles;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Tokens;
import dev.idsync.systemtests.topics.AuditTrail;
import dev.idsync.systemtests.topics.ReferenceSubscriber;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * After the soak's chaos, with every fault ended: brings the tenant to rest the way an operator would
 * (delta runs until one completes and the store equals Entra, held deletions approved), then checks
 * everything issue 16 names, each as a list of differences that must end empty:
 * store = emulator snapshot; role-mapper = what the role mappings derive from the snapshot; the reference
 * subscriber (public topics only, from offset 0) = the store, roles too; every record of every topic audited
 * exactly once; every tenant's audit chain intact; no run left {@code running}; nothing held.
 */
public final class ConvergenceCheck {

    /** Users asked about their roles beyond every user a mutation named: an even sample of the rest. */
    private static final int ROLE_SAMPLE = 400;

    private final Stack stack;
    private final Tokens tokens;
    private final EmulatorTenant tenant;
    private final ScenarioTenant scenario;
    private final RunDriver runs;
    private final MutationDriver mutations;
    private final SoakTally tally;
    private final DirectoryStore store;
    private final Map<String, Duration> timings = new LinkedHashMap<>();
    private int rolesChecked;

    public ConvergenceCheck(Stack stack, Tokens tokens, EmulatorTenant tenant, ScenarioTenant scenario, RunDriver runs,
            MutationDriver mutations, SoakTally tally) {
        this.stack = stack;
        this.tokens = tokens;
        this.tenant = tenant;
        this.scenario = scenario;
        this.runs = runs;
        this.mutations = mutations;
        this.tally = tally;
        this.store = new DirectoryStore(stack, tenant.id());
    }

    /** How many users role-mapper was asked about in the last role check. */
    public int rolesChecked() {
        return rolesChecked;
    }

    /** How long each phase took, in order. */
    public Map<String, Duration> timings() {
        return timings;
    }

    /**
     * Delta runs (each waited for; a scheduled one in the way is waited for instead) and approvals of what
     * they hold, until a run completed after the last change and the store equals the snapshot.
     */
    public Duration converge(Duration atMost) {
        Instant t0 = Instant.now();
        DirectoryState entra = DirectoryState.fromSnapshot(tenant.snapshot());
        long[] reported = {0};
        Duration d = explained(() -> Eventually.noDifferences("store of " + tenant.id() + " after the soak (delta runs and approvals until equal)", () -> {
            JsonNode run = completedRun(atMost);
            if (!"completed".equals(run.path("state").asText())) {
                tally.count("quiesce: a run ended " + run.path("state").asText());
                return List.of("run " + run.path("runId").asText() + " ended " + run.path("state").asText() + ": " + run.path("error"));
            }
            long held = heldCount();
            if (held > 0) {
                tally.add("quiesce: held deletions approved", held);
                admin(Stack.PROCESSOR).post(runs.pendingPath() + "/approve", "").expect(200);
            }
            List<String> left = store.read().differencesTo(knowable(entra), 20);
            if (!left.isEmpty() && Duration.between(t0, Instant.now()).toSeconds() / 30 > reported[0]) {
                reported[0]++;
                System.out.println("SOAK still converging after " + Duration.between(t0, Instant.now()).toSeconds() + " s: "
                        + left.size() + " differences, e.g. " + left.subList(0, Math.min(3, left.size())));
            }
            return left;
        }, atMost));
        timings.put("converged", Duration.between(t0, Instant.now()));
        return d;
    }

    /** Every check; throws with the differences of the first that does not hold within {@code atMost}. */
    public void verify(Duration atMost) {
        JsonNode snapshot = tenant.snapshot();
        DirectoryState entra = DirectoryState.fromSnapshot(snapshot);
        time("store = snapshot", () -> explained(() -> Eventually.noDifferences("store of " + tenant.id() + " against the emulator's snapshot",
                () -> store.read().differencesTo(knowable(entra), 20), atMost)));
        time("nothing held", () -> Eventually.noDifferences("held deletions of " + tenant.id(), () -> {
            long held = heldCount();
            long status = admin(Stack.PROCESSOR).get("/api/tenants/" + tenant.id() + "/sync-status").expect(200).body()
                    .path("heldDeletions").asLong();
            return held == 0 && status == 0 ? List.of() : List.of(held + " pending deletions, sync-status heldDeletions " + status);
        }, atMost));
        time("no run running", () -> Eventually.noDifferences("runs of " + tenant.id() + " left running", this::runningRuns, atMost));
        admin(Stack.POLLER).get("/api/tenants/" + tenant.id() + "/sync-runs?limit=500").expect(200).body().forEach(run -> tally.count(
                "runs in the ledger: " + run.path("mode").asText() + " by " + run.path("trigger").asText() + ", " + run.path("state").asText()));
        time("role-mapper = mappings", () -> Eventually.noDifferences("role-mapper against the mappings of the snapshot",
                () -> roleDifferences(snapshot), atMost));
        ReferenceSubscriber subscriber = ReferenceSubscriber.shared(stack);
        time("reference subscriber = store", () -> subscriber.awaitDirectoryAgrees(tenant.id(), atMost));
        time("reference subscriber roles = role-mapper", () -> subscriber.awaitRolesAgree(tenant.id(), tokens, atMost));
        time("audit: every record once", () -> Eventually.noDifferences("audit trail against every topic",
                () -> AuditTrail.differences(AuditTrail.publishedIds(stack), AuditTrail.auditedIds(stack)), atMost));
        time("audit chains intact", () -> Eventually.noDifferences("audit chains", () -> AuditTrail.brokenChains(stack, tokens), atMost));
    }

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * Runs the check; when it fails, adds what the store and the emulator hold about the first ids its
     * message names (the stack is gone once the test JVM ends, so the evidence goes into the failure).
     */
    private Duration explained(java.util.function.Supplier<Duration> check) {
        try {
            return check.get();
        } catch (AssertionError e) {
            StringBuilder evidence = new StringBuilder(e.getMessage()).append("\nevidence:");
            JsonNode snapshot = tenant.snapshot();
            ID.matcher(e.getMessage()).results().map(java.util.regex.MatchResult::group).distinct().limit(12).forEach(id -> {
                evidence.append("\n  ").append(id).append(": store ").append(store.object(id).map(o -> o.kind() + " " + o.state()
                        + " " + o.removalReason() + " placeholder=" + o.placeholder()).orElse("no row"));
                evidence.append("; Entra ").append(whereIs(snapshot, id));
            });
            throw new AssertionError(evidence.toString(), e);
        }
    }

    private static String whereIs(JsonNode snapshot, String id) {
        List<String> found = new ArrayList<>();
        for (String list : List.of("users", "deletedUsers", "groups", "deletedGroups")) {
            snapshot.path(list).forEach(o -> {
                if (id.equals(o.path("id").asText())) {
                    found.add(list);
                }
                o.path("members").forEach(m -> {
                    if (id.equals(m.isObject() ? m.path("id").asText() : m.asText())) {
                        found.add("member of " + o.path("id").asText());
                    }
                });
            });
        }
        return found.isEmpty() ? "nowhere (hard-deleted or never created)" : String.join(", ", found);
    }

    /**
     * Entra's state as idsync can know it, which the store must equal. Two things a delta feed cannot tell
     * apart are allowed either way (delta-processor's README, "Sweep"): an object hard-deleted in Entra may be
     * {@code pendingDeletion} in the store — swept by a resync ({@code notSeenInFullSync}: how it went is
     * unknown), or soft-deleted as idsync saw it and purged before a resync (soak seed 3); and an object created and deleted between two runs was never seen, so the
     * store has no row for it although Entra's recycle bin holds it. Everything else is compared strictly.
     */
    private DirectoryState knowable(DirectoryState entra) {
        Map<String, String> states = store.states();
        DirectoryState expected = new DirectoryState(entra.users(), new TreeSet<>(entra.pendingUsers()), entra.groups(),
                new TreeSet<>(entra.pendingGroups()), entra.roles(), entra.groupMembers(), entra.roleMembers(), entra.placeholders());
        states.forEach((id, state) -> {
            // Not in Entra at all (hard-deleted): a swept object, or one whose soft deletion idsync saw and whose
            // purge from the recycle bin fell before a resync (an initial round lists no deleted objects, and the
            // sweep covers active ones only), stays pendingDeletion.
            if (state.startsWith("user pendingDeletion") && !entra.users().containsKey(id) && !entra.pendingUsers().contains(id)) {
                expected.pendingUsers().add(id);
            } else if (state.startsWith("group pendingDeletion") && !entra.groups().containsKey(id)
                    && !entra.pendingGroups().contains(id)) {
                expected.pendingGroups().add(id);
            }
        });
        expected.pendingUsers().removeIf(id -> !states.containsKey(id));
        expected.pendingGroups().removeIf(id -> !states.containsKey(id));
        return expected;
    }

    private void time(String what, java.util.function.Supplier<Duration> check) {
        Instant t0 = Instant.now();
        check.get();
        timings.put(what, Duration.between(t0, Instant.now()));
    }

    /** A run started now (or the active one, when the tenant is busy), waited for until it ended. */
    private JsonNode completedRun(Duration atMost) {
        ApiClient poller = admin(Stack.POLLER);
        ApiClient.Response started = poller.post("/api/tenants/" + tenant.id() + "/sync-runs", "{}");
        String runId = started.status() == 202 ? started.body().path("runId").asText() : started.body().path("activeRunId").asText();
        if (runId.isEmpty()) {
            throw new AssertionError("no run to wait for: " + started.status() + " " + started.text());
        }
        JsonNode run = new SyncRuns(stack, tokens).await(tenant.id(), runId, atMost);
        if (started.status() != 202) {
            // That was someone else's run, which may have begun before the last change: one of our own now.
            return completedRun(atMost);
        }
        return run;
    }

    private long heldCount() {
        return admin(Stack.PROCESSOR).get(runs.pendingPath()).expect(200).body().path("count").asLong();
    }

    private List<String> runningRuns() {
        List<String> out = new ArrayList<>();
        admin(Stack.POLLER).get("/api/tenants/" + tenant.id() + "/sync-runs?limit=500").expect(200).body().forEach(run -> {
            if ("running".equals(run.path("state").asText())) {
                out.add("run " + run.path("runId").asText() + " (" + run.path("trigger").asText() + ", started "
                        + run.path("startedAt").asText() + ") is still running");
            }
        });
        return out;
    }

    /**
     * Enabled users: exactly {@code User} plus the roles of their {@code App-<Tenant>-<Role>} groups in the
     * snapshot; users no longer active in Entra: removed without roles. Asked about: every user a mutation
     * named and an even sample of the rest.
     */
    private List<String> roleDifferences(JsonNode snapshot) {
        RoleMapperRoles roles = new RoleMapperRoles(stack, tokens, tenant.id());
        Map<String, Set<String>> appRoles = RoleMapperRoles.appGroupRoles(snapshot, scenario);
        List<String> enabled = new ArrayList<>();
        Set<String> active = new TreeSet<>();
        snapshot.path("users").forEach(u -> {
            active.add(u.path("id").asText());
            if (u.path("accountEnabled").asBoolean()) {
                enabled.add(u.path("id").asText());
            }
        });
        Set<String> asked = new TreeSet<>();
        int step = Math.max(1, enabled.size() / ROLE_SAMPLE);
        for (int i = 0; i < enabled.size(); i += step) {
            asked.add(enabled.get(i));
        }
        // A user created and hard-deleted between two runs never reached idsync: nothing to ask about.
        Set<String> stored = new TreeSet<>(store.userIds());
        Set<String> enabledIds = new TreeSet<>(enabled);
        List<String> gone = new ArrayList<>();
        for (String user : mutations.touchedUsers()) {
            if (enabledIds.contains(user)) {
                asked.add(user);
            } else if (!active.contains(user) && stored.contains(user)) {
                gone.add(user);
            }
        }
        rolesChecked = asked.size() + gone.size();
        List<String> out = new ArrayList<>(roles.activeWith(asked, user -> {
            Set<String> expected = new TreeSet<>(appRoles.getOrDefault(user, Set.of()));
            expected.add(RoleMapperRoles.DEFAULT);
            return expected;
        }));
        out.addAll(roles.removedWithoutRoles(gone));
        return out.size() > 20 ? out.subList(0, 20) : out;
    }

    private ApiClient admin(String service) {
        return new ApiClient(stack.url(service), tokens.admin());
    }
}
