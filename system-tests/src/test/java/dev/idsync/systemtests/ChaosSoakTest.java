package dev.idsync.systemtests;

import dev.idsync.systemtests.soak.ConvergenceCheck;
import dev.idsync.systemtests.soak.FaultDriver;
import dev.idsync.systemtests.soak.MutationDriver;
import dev.idsync.systemtests.soak.RunDriver;
import dev.idsync.systemtests.soak.SoakSchedule;
import dev.idsync.systemtests.soak.SoakTally;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import dev.idsync.systemtests.topics.ReferenceSubscriberCheck;
import java.security.SecureRandom;
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
 * Issue 16's seeded chaos soak: two instances of every service (consumer groups share partitions, the
 * pollers share the tenant through the run lease, one of them also schedules delta runs), a large tenant,
 * and for a fixed time a seeded schedule of Entra changes interleaved with faults, runs and gate decisions
 * ({@link SoakSchedule}); then quiet, and every view must equal Entra ({@link ConvergenceCheck}).
 *
 * <p>The default suite runs the short form; the long form is the same test with
 * {@code -Didsync.soak.duration=PT30M} (system-tests/README.md). {@code -Didsync.soak.seed} repeats a
 * plan (default {@value #DEFAULT_SEED}; {@code random} draws one), printed with the command that repeats it.
 */
@Order(25)
@ExtendWith(ReferenceSubscriberCheck.class)
class ChaosSoakTest {

    static final String SEED = "idsync.soak.seed";
    static final String DURATION = "idsync.soak.duration";
    static final String USERS = "idsync.soak.users";
    /** The short form's tenant size: 20,000 users (the issue's, the long form's) do not fit its 4 minutes on 2 cores (README). */
    static final int SHORT_USERS = 5_000;
    static final long DEFAULT_SEED = 2;
    private static final ScenarioTenant SCENARIO = ScenarioTenant.SOAK;
    private static final Duration SETTLE = Duration.ofMinutes(4);

    @Test
    void under_a_seeded_schedule_of_changes_and_faults_with_two_instances_of_everything_every_view_ends_equal_to_entra() {
        // The default suite plays one fixed plan (a seed that passed), so a red CI means a regression; new
        // plans are explored with -Didsync.soak.seed=random (or any number) and the long form.
        String asked = System.getProperty(SEED, String.valueOf(DEFAULT_SEED));
        long seed = "random".equals(asked) ? new SecureRandom().nextLong() : Long.parseLong(asked);
        Duration duration = Duration.parse(System.getProperty(DURATION, "PT60S"));
        int users = Integer.getInteger(USERS, SHORT_USERS);
        String reproduce = ("./mvnw -B verify -pl system-tests -Dtest=ChaosSoakTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -D%s=%d -D%s=%s -D%s=%d").formatted(SEED, seed, DURATION, duration, USERS, users);
        SoakSchedule plan = SoakSchedule.plan(seed, duration);
        Timings.report("soak", "seed %d, %s, %d users, %d steps planned %s; repeat with: %s".formatted(seed, duration, users,
                plan.steps().size(), plan.planned(), reproduce));
        try {
            soak(plan, users);
        } catch (AssertionError | RuntimeException e) {
            Timings.report("soak", "FAILED with seed %d; repeat with: %s".formatted(seed, reproduce));
            throw new AssertionError("soak with seed " + seed + " failed (repeat: " + reproduce + "): " + e.getMessage(), e);
        }
    }

    private static void soak(SoakSchedule plan, int users) {
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        SoakTally tally = new SoakTally();
        EmulatorTenant tenant = EmulatorTenant.create(stack, SCENARIO);
        tenant.seed(users, Math.max(20, users / 20), users * 2, 4);
        // Graph's minimal representation for a seeded half of the updates, its full one for the rest.
        tenant.settings(Map.of("minimalUpdateShare", 0.5, "minimalUpdateSeed", plan.seed()));

        Instant t0 = Instant.now();
        Map<String, Map<String, String>> second = new LinkedHashMap<>();
        for (String service : Stack.SERVICES) {
            // The second poller also schedules the soak tenant's delta runs (idsync.yaml: every 15 s).
            second.put(service, Stack.POLLER.equals(service) ? Map.of("idsync.poller.scheduler.enabled", "true") : Map.of());
        }
        List<String> added = stack.addInstances(second);
        Duration instancesReady = Duration.between(t0, Instant.now());
        MutationDriver mutations = new MutationDriver(tenant, SCENARIO, tally);
        RunDriver runs = new RunDriver(stack, tokens, tenant.id(), mutations, tally);
        ConvergenceCheck check = new ConvergenceCheck(stack, tokens, tenant, SCENARIO, runs, mutations, tally);
        try (FaultDriver faults = new FaultDriver(stack, tenant, tally)) {
            Instant t1 = Instant.now();
            check.converge(SETTLE);
            Duration initialSync = Duration.between(t1, Instant.now());

            Instant start = Instant.now();
            List<String> stepFailures = new ArrayList<>();
            for (SoakSchedule.Step step : plan.steps()) {
                long wait = Duration.between(Instant.now(), start.plus(step.at())).toMillis();
                if (wait > 0) {
                    SyncRuns.sleep(wait);
                }
                try {
                    switch (step.action().kind()) {
                        case MUTATION -> mutations.apply(step.action(), step.seed());
                        case FAULT -> faults.apply(step.action(), step.seed());
                        case RUN -> runs.apply(step.action(), step.seed());
                    }
                } catch (RuntimeException e) {
                    // A step the stack could not take (e.g. an API call while PostgreSQL was down) is part of the chaos.
                    tally.count("step not carried out: " + step.action());
                    stepFailures.add(step.at() + " " + step.action() + ": " + e.getMessage());
                }
            }
            Duration chaos = Duration.between(start, Instant.now());

            Instant quiet = Instant.now();
            faults.quiesce();
            Duration converged = check.converge(SETTLE);
            Duration toConverge = Duration.between(quiet, Instant.now());
            check.verify(SETTLE);
            Timings.report("soak", ("seed %d: %d users, second instances ready in %d ms, initial sync %d ms; %d steps in %d ms"
                    + " (planned %s); quiesced and converged %d ms after the last step (last run and store check %d ms);"
                    + " checks %s; roles of %d users compared; slowest restart after kill -9 per service %s; counts:%s%s")
                    .formatted(plan.seed(), users, instancesReady.toMillis(), initialSync.toMillis(), plan.steps().size(),
                            chaos.toMillis(), plan.duration(), toConverge.toMillis(), converged.toMillis(),
                            millis(check.timings()), check.rolesChecked(), faults.slowestRestartMillis(), tally,
                            stepFailures.isEmpty() ? "" : "\n  steps not carried out: " + stepFailures));
        } finally {
            added.forEach(stack::removeInstance);
        }
    }

    private static Map<String, Long> millis(Map<String, Duration> timings) {
        Map<String, Long> out = new LinkedHashMap<>();
        timings.forEach((k, v) -> out.put(k, v.toMillis()));
        return out;
    }
}
