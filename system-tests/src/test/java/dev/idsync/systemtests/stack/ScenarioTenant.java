package dev.idsync.systemtests.stack;

import java.time.Duration;
import java.util.Optional;

/**
 * One emulator tenant (and idsync.yaml tenant) per scenario, so scenarios sharing the stack never see
 * each other's objects. {@code displayName} is the tenant's {@code name}: the {@code App-<name>-<role>}
 * group pattern of the role-mapper uses it.
 */
public enum ScenarioTenant {
    INITIAL("e2e-initial", "Initialco"),
    MUTATIONS("e2e-mutations", "Mutaco"),
    ROLES("e2e-roles", "Rolesco"),
    PROFILE("e2e-profile", "Profileco"),
    GATE("e2e-gate", "Gateco"),
    SWEEP("e2e-sweep", "Sweepco"),
    PROCESSOR_KILLED("e2e-kill-processor", "Killco"),
    POLLER_KILLED("e2e-kill-poller", "Resumeco"),
    DATABASE_RESTART("e2e-db-restart", "Restartco"),
    BROKER_RESTART("e2e-broker-restart", "Brokerco"),
    GRAPH_FAULTS("e2e-graph-faults", "Faultco"),
    EXPIRED_GONE("e2e-expired-gone", "Goneco"),
    EXPIRED_SYNC_STATE("e2e-expired-sync-state", "Syncstateco"),
    EXPIRED_USERS_ONLY("e2e-expired-users-only", "Usersonlyco"),
    MINIMAL_UPDATES("e2e-minimal-updates", "Minimalco"),
    COMPACTION("e2e-compaction", "Compactco"),
    AUDIT("e2e-audit", "Auditco"),
    CONSOLE("e2e-console", "Consoleco"),
    CONSOLE_HISTORY("e2e-console-history", "Historyco"),
    TRACE("e2e-trace", "Traceco"),
    METRICS("e2e-metrics", "Metricsco"),
    /** The chaos soak's tenant: delta runs every 15 s on a poller instance with its scheduler on. */
    SOAK("e2e-soak", "Soakco", Duration.ofSeconds(15));

    private final String id;
    private final String displayName;
    private final Duration schedule;

    ScenarioTenant(String id, String displayName) {
        this(id, displayName, null);
    }

    ScenarioTenant(String id, String displayName, Duration schedule) {
        this.id = id;
        this.displayName = displayName;
        this.schedule = schedule;
    }

    /** The interval of scheduled delta runs in idsync.yaml; empty: runs only on request. */
    public Optional<Duration> schedule() {
        return Optional.ofNullable(schedule);
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }
}
