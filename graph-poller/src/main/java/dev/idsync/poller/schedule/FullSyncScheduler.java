package dev.idsync.poller.schedule;

import dev.idsync.config.IdsyncConfig;
import dev.idsync.events.SyncMode;
import dev.idsync.poller.config.PollerConfig;
import dev.idsync.poller.graph.PollerTenants;
import dev.idsync.poller.run.FullSyncPolicy;
import dev.idsync.poller.run.RunEnded;
import dev.idsync.poller.run.RunRequest;
import dev.idsync.poller.run.RunStarter;
import dev.idsync.poller.run.SyncRunner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The scheduled full sync: a full run of a tenant's resources whenever its last complete full sync is
 * older than {@code schedule.full-sync.every} (default {@code idsync.poller.full-sync.every}, weekly). It is
 * asked for every {@code check-every}, at each tick of the tenant's delta schedule (a due full run goes
 * first: it does a delta's work and more) and as soon as a run of the tenant ends (so a full sync that waited
 * for a delta starts right after it). {@link RunStarter#tryStartIfDue} decides under the run lease and the
 * durable schedule, so it never overlaps another run, is not started twice by two instances, and survives
 * restarts; this class only asks.
 */
@ApplicationScoped
public class FullSyncScheduler {

    private static final Logger LOG = Logger.getLogger(FullSyncScheduler.class);

    private final PollerTenants tenants;
    private final SyncRunner runner;
    private final PollerConfig config;

    FullSyncScheduler(PollerTenants tenants, SyncRunner runner, PollerConfig config) {
        this.tenants = tenants;
        this.runner = runner;
        this.config = config;
    }

    /** The tenant's policy, or empty when its scheduled full sync is off (here, globally or for the tenant). */
    public Optional<FullSyncPolicy> policyOf(String tenantId) {
        if (!config.scheduler().enabled() || !config.fullSync().enabled()) {
            return Optional.empty();
        }
        return tenants.find(tenantId).filter(t -> t.schedule().enabled() && t.schedule().fullSync().enabled())
                .map(t -> new FullSyncPolicy(t.schedule().fullSync().every().orElse(config.fullSync().every()),
                        config.fullSync().retryAfter()));
    }

    /**
     * Starts the tenant's full sync if it is due.
     *
     * @return empty when it is off or not due; {@link RunStarter.Started}, or {@link RunStarter.Busy} when it
     *         is due but another run of the tenant is active (it stays due and is asked for again)
     */
    public Optional<RunStarter.Outcome> startIfDue(String tenantId) {
        Optional<FullSyncPolicy> policy = policyOf(tenantId);
        if (policy.isEmpty()) {
            return Optional.empty();
        }
        IdsyncConfig.Tenant tenant = tenants.find(tenantId).orElseThrow();
        Optional<RunStarter.Outcome> outcome = runner.startFullIfDue(
                new RunRequest(tenantId, SyncMode.FULL, tenants.resourcesOf(tenant), null, "schedule"), policy.get());
        MDC.put("tenant", tenantId);
        try {
            outcome.ifPresent(o -> {
                switch (o) {
                    case RunStarter.Started started -> LOG.infof("scheduled full sync started: run %s (due every %s)",
                            started.run().runId(), policy.get().every());
                    case RunStarter.Busy busy -> LOG.infof("scheduled full sync is due; it waits for run %s",
                            busy.activeRunId().orElse("(unknown)"));
                }
            });
        } finally {
            MDC.remove("tenant");
        }
        return outcome;
    }

    /** The periodic check over every tenant (programmed by {@link TenantScheduler}). */
    void checkAll() {
        for (String tenantId : tenants.ids()) {
            check(tenantId);
        }
    }

    /** A run of the tenant ended and released its lease: a full sync that waited for it may start now. */
    void onRunEnded(@ObservesAsync RunEnded ended) {
        if (config.scheduler().enabled()) {
            check(ended.tenantId());
        }
    }

    private void check(String tenantId) {
        try {
            startIfDue(tenantId);
        } catch (RuntimeException e) {
            LOG.errorf("tenant %s: could not check or start the scheduled full sync: %s", tenantId, e.getMessage());
        }
    }
}
