package dev.idsync.systemtests.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The soak's plan: from a seed and a duration, the steps (at which offset, which action, with which seed
 * for choosing its targets), every action at least once, the rest drawn by weight. The same seed and
 * duration give the same plan; what the stack makes of it depends on timing too (a run started by the
 * plan may meet a scheduled one or not), which is the point of a soak.
 */
public record SoakSchedule(long seed, Duration duration, List<Step> steps) {

    /** What a step does; the driver that carries it out is named by {@link Kind}. */
    public enum Action {
        CREATE_USERS(Kind.MUTATION, 8), UPDATE_USERS(Kind.MUTATION, 12), SOFT_DELETE_USERS(Kind.MUTATION, 5),
        HARD_DELETE_USERS(Kind.MUTATION, 3), RESTORE_USERS(Kind.MUTATION, 4), CREATE_GROUP(Kind.MUTATION, 2),
        UPDATE_GROUPS(Kind.MUTATION, 3), SOFT_DELETE_GROUP(Kind.MUTATION, 1), HARD_DELETE_GROUP(Kind.MUTATION, 1),
        RESTORE_GROUP(Kind.MUTATION, 1), ADD_MEMBERS(Kind.MUTATION, 8), REMOVE_MEMBERS(Kind.MUTATION, 6),
        BURST(Kind.MUTATION, 2),
        GRAPH_THROTTLE(Kind.FAULT, 3), GRAPH_UNAVAILABLE(Kind.FAULT, 3), GRAPH_LATENCY(Kind.FAULT, 2),
        GRAPH_DROPPED_CONNECTIONS(Kind.FAULT, 2), TOKENS_GONE(Kind.FAULT, 2), TOKENS_SYNC_STATE_NOT_FOUND(Kind.FAULT, 2),
        BROKER_OUTAGE(Kind.FAULT, 0), DATABASE_OUTAGE(Kind.FAULT, 0), KILL_INSTANCE(Kind.FAULT, 1),
        DELTA_RUN(Kind.RUN, 5), FULL_RUN(Kind.RUN, 1), MASS_DELETION(Kind.RUN, 0), APPROVE_HELD(Kind.RUN, 2);

        private final Kind kind;
        private final int weight;

        Action(Kind kind, int weight) {
            this.kind = kind;
            this.weight = weight;
        }

        public Kind kind() {
            return kind;
        }
    }

    public enum Kind { MUTATION, FAULT, RUN }

    /** One step: {@code at} from the soak's start; {@code seed} chooses its targets and sizes. */
    public record Step(Duration at, Action action, long seed) {
    }

    /** Mean gap between two steps. */
    static final Duration MEAN_GAP = Duration.ofMillis(1_500);
    /**
     * The heavy faults come at most this often (each at least once): a broker or database outage, a mass
     * deletion. Kills come twice as often.
     */
    static final Duration HEAVY_EVERY = Duration.ofSeconds(60);

    public static SoakSchedule plan(long seed, Duration duration) {
        Random random = new Random(seed);
        long span = duration.toMillis();
        List<Step> steps = new ArrayList<>();
        // Spread the heavy actions over the window: one per HEAVY_EVERY each (at least one), at a random
        // offset in their slot, kept out of the last tenth so the soak ends with ordinary traffic.
        long heavy = Math.max(1, span / HEAVY_EVERY.toMillis());
        for (Action action : List.of(Action.BROKER_OUTAGE, Action.DATABASE_OUTAGE, Action.MASS_DELETION, Action.KILL_INSTANCE,
                Action.KILL_INSTANCE)) {
            for (long slot = 0; slot < heavy; slot++) {
                long from = slot * span / heavy;
                long to = (slot + 1) * span / heavy * 9 / 10;
                steps.add(new Step(Duration.ofMillis(from + (long) (random.nextDouble() * Math.max(1, to - from))), action,
                        random.nextLong()));
            }
        }
        // Every other action at least once, anywhere.
        for (Action action : Action.values()) {
            if (action.weight > 0) {
                steps.add(new Step(Duration.ofMillis((long) (random.nextDouble() * span * 9 / 10)), action, random.nextLong()));
            }
        }
        // Approve what a mass deletion held, a while after it (its run may have met a fault; the end approves the rest).
        for (Step mass : List.copyOf(steps)) {
            if (mass.action() == Action.MASS_DELETION) {
                steps.add(new Step(mass.at().plusSeconds(8 + random.nextInt(8)), Action.APPROVE_HELD, random.nextLong()));
            }
        }
        int total = Math.toIntExact(span / MEAN_GAP.toMillis());
        int weights = 0;
        for (Action a : Action.values()) {
            weights += a.weight;
        }
        while (steps.size() < total) {
            int pick = random.nextInt(weights);
            Action chosen = null;
            for (Action a : Action.values()) {
                pick -= a.weight;
                if (pick < 0) {
                    chosen = a;
                    break;
                }
            }
            steps.add(new Step(Duration.ofMillis((long) (random.nextDouble() * span)), chosen, random.nextLong()));
        }
        steps.sort(Comparator.comparing(Step::at).thenComparing(s -> s.action().ordinal()));
        return new SoakSchedule(seed, duration, List.copyOf(steps));
    }

    /** How many steps of each action the plan holds. */
    public Map<Action, Integer> planned() {
        Map<Action, Integer> counts = new EnumMap<>(Action.class);
        steps.forEach(s -> counts.merge(s.action(), 1, Integer::sum));
        return counts;
    }
}
