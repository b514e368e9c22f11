package dev.idsync.systemtests.soak;

import dev.idsync.infra.test.SharedInfra;
import dev.idsync.systemtests.soak.SoakSchedule.Action;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.ServiceProcess;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The soak's faults: Graph answering 429 or 503, slowly, or dropping connections (emulator faults on a
 * share of the delta requests, for some seconds); delta and skip tokens invalidated ({@code GONE} or
 * {@code SYNC_STATE_NOT_FOUND}, some or all resources); the broker or PostgreSQL stopped for some seconds
 * and started in place; {@code kill -9} of a random instance of a random service, started again a few
 * seconds later in the background. {@link #quiesce()} ends every fault and waits until every instance runs.
 */
public final class FaultDriver implements AutoCloseable {

    private static final List<String> DELTA_PATHS = List.of("/users/delta", "/groups/delta", "/directoryRoles/delta", "/delta");
    private static final List<String> RESOURCES = List.of("users", "groups", "directoryRoles");

    private final Stack stack;
    private final EmulatorTenant tenant;
    private final SoakTally tally;
    private final Set<String> activeFaults = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService faultEnds = Executors.newSingleThreadScheduledExecutor();
    /** One restart at a time, in the background: the schedule goes on while an instance is down. */
    private final ExecutorService restarts = Executors.newSingleThreadExecutor();
    private final List<Future<?>> pendingRestarts = new ArrayList<>();
    private final Map<String, Long> restartMillis = new ConcurrentHashMap<>();

    public FaultDriver(Stack stack, EmulatorTenant tenant, SoakTally tally) {
        this.stack = stack;
        this.tenant = tenant;
        this.tally = tally;
    }

    public void apply(Action action, long seed) {
        Random random = new Random(seed);
        switch (action) {
            case GRAPH_THROTTLE -> graphFault(random, Map.of("type", "THROTTLE", "retryAfterSeconds", 1), "429");
            case GRAPH_UNAVAILABLE -> graphFault(random, Map.of("type", "UNAVAILABLE"), "503");
            case GRAPH_LATENCY -> graphFault(random, Map.of("type", "LATENCY", "latencyMillis", 200 + random.nextInt(600)), "latency");
            case GRAPH_DROPPED_CONNECTIONS -> graphFault(random, Map.of("type", "DROP_CONNECTION"), "dropped connections");
            case TOKENS_GONE -> invalidate("GONE", random);
            case TOKENS_SYNC_STATE_NOT_FOUND -> invalidate("SYNC_STATE_NOT_FOUND", random);
            case BROKER_OUTAGE -> outage("broker", random, SharedInfra::stopKafkaServer, SharedInfra::startKafkaServer);
            case DATABASE_OUTAGE -> outage("PostgreSQL", random, SharedInfra::stopPostgresServer, SharedInfra::startPostgresServer);
            case KILL_INSTANCE -> kill(random);
            default -> throw new IllegalArgumentException(action + " is no fault");
        }
    }

    /** A fault on a share of one resource's delta requests (or all of them), ended after 2–10 s. */
    private void graphFault(Random random, Map<String, Object> type, String name) {
        Map<String, Object> spec = new LinkedHashMap<>(type);
        spec.put("path", DELTA_PATHS.get(random.nextInt(DELTA_PATHS.size())));
        spec.put("ratio", 0.2 + random.nextDouble() * 0.6);
        spec.put("seed", random.nextLong());
        String id = tenant.addFault(spec);
        activeFaults.add(id);
        tally.count("fault Graph " + name);
        faultEnds.schedule(() -> end(id), 2_000 + random.nextInt(8_000), TimeUnit.MILLISECONDS);
    }

    private void end(String faultId) {
        if (activeFaults.remove(faultId)) {
            tenant.removeFault(faultId);
        }
    }

    private void invalidate(String response, Random random) {
        List<String> resources = new ArrayList<>();
        RESOURCES.forEach(r -> {
            if (random.nextBoolean()) {
                resources.add(r);
            }
        });
        tenant.invalidateDeltaTokens(response, resources);
        tally.count("fault delta tokens " + response + " (" + (resources.isEmpty() ? "all" : String.join(",", resources)) + ")");
    }

    /** Stops the server for 3–8 s and starts it in place; the schedule waits (mutations in Entra go on afterwards). */
    private void outage(String what, Random random, Runnable stop, Runnable start) {
        long millis = 3_000 + random.nextInt(5_000);
        stop.run();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            start.run();
        }
        tally.count("fault " + what + " stopped and started");
        tally.add("fault " + what + " down, ms", millis);
    }

    /** {@code kill -9} of a random running instance; started again 1–6 s later in the background. */
    private void kill(Random random) {
        String service = Stack.SERVICES.get(random.nextInt(Stack.SERVICES.size()));
        List<String> running = stack.instancesOf(service).stream().filter(this::alive).toList();
        if (running.isEmpty()) {
            tally.count("fault kill -9 skipped: no running " + service);
            return;
        }
        String instance = running.get(random.nextInt(running.size()));
        stack.kill(instance);
        tally.count("fault kill -9 " + service);
        long downMillis = 1_000 + random.nextInt(5_000);
        synchronized (pendingRestarts) {
            pendingRestarts.add(restarts.submit(() -> {
                SyncRuns.sleep(downMillis);
                Instant t0 = Instant.now();
                stack.start(instance);
                restartMillis.merge(service, Duration.between(t0, Instant.now()).toMillis(), Math::max);
                tally.count("restart after kill -9 " + service);
            }));
        }
    }

    private boolean alive(String instance) {
        return stack.services().stream().anyMatch(s -> s.name().equals(instance) && s.isAlive());
    }

    /** The longest start-up (to ready) of a killed instance per service. */
    public Map<String, Long> slowestRestartMillis() {
        return Map.copyOf(restartMillis);
    }

    /**
     * Ends every Graph fault, waits for the pending restarts, starts any instance that is not running (a
     * restart that failed) and checks that every instance is ready.
     */
    public void quiesce() {
        List.copyOf(activeFaults).forEach(this::end);
        List<Future<?>> waiting;
        synchronized (pendingRestarts) {
            waiting = List.copyOf(pendingRestarts);
        }
        for (Future<?> restart : waiting) {
            try {
                restart.get(5, TimeUnit.MINUTES);
            } catch (Exception e) {
                tally.count("restart after kill -9 failed, started again: " + e.getMessage());
            }
        }
        for (ServiceProcess instance : stack.services()) {
            if (!instance.isAlive()) {
                stack.start(instance.name());
            }
        }
    }

    @Override
    public void close() {
        List.copyOf(activeFaults).forEach(this::end);
        faultEnds.shutdownNow();
        restarts.shutdownNow();
    }
}
