package dev.idsync.poller.schedule;

import dev.idsync.config.IdsyncConfig;
import dev.idsync.events.SyncMode;
import dev.idsync.poller.config.PollerConfig;
import dev.idsync.poller.graph.PollerTenants;
import dev.idsync.poller.run.RunRequest;
import dev.idsync.poller.run.RunStarter;
import dev.idsync.poller.run.SyncRunner;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One scheduled delta run per tenant, every {@code schedule.every} (default 15 minutes, reference 003) or on
 * {@code schedule.cron}. A run that finds one of the tenant's resources busy (here or on another instance)
 * is skipped and logged; the next tick tries again. A tick when the tenant's full sync is due starts that
 * instead ({@link FullSyncScheduler}), and one job per instance asks for due full syncs in between.
 */
@ApplicationScoped
public class TenantScheduler {

    private static final Logger LOG = Logger.getLogger(TenantScheduler.class);
    /** The job that asks for due full syncs (its next fire time is shown by the schedule API). */
    public static final String FULL_SYNC_CHECK_JOB = "full-sync-check";

    /** The identity of the tenant's delta job (its next fire time is shown by the schedule API). */
    public static String deltaJob(String tenantId) {
        return "delta-run-" + tenantId;
    }

    private final Scheduler scheduler;
    private final PollerTenants tenants;
    private final SyncRunner runner;
    private final PollerConfig config;
    private final FullSyncScheduler fullSyncs;

    TenantScheduler(Scheduler scheduler, PollerTenants tenants, SyncRunner runner, PollerConfig config,
                    FullSyncScheduler fullSyncs) {
        this.scheduler = scheduler;
        this.tenants = tenants;
        this.runner = runner;
        this.config = config;
        this.fullSyncs = fullSyncs;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.scheduler().enabled()) {
            LOG.info("scheduled runs are off on this instance (idsync.poller.scheduler.enabled=false)");
            return;
        }
        for (String tenantId : tenants.ids()) {
            IdsyncConfig.Tenant tenant = tenants.find(tenantId).orElseThrow();
            IdsyncConfig.Schedule schedule = tenant.schedule();
            if (!schedule.enabled()) {
                LOG.infof("tenant %s: scheduled runs disabled", tenantId);
                continue;
            }
            var job = scheduler.newJob(deltaJob(tenantId))
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setTask(execution -> trigger(tenantId));
            if (schedule.cron().isPresent()) {
                job.setCron(schedule.cron().get());
            } else {
                job.setInterval(schedule.every().toString());
            }
            job.schedule();
            LOG.infof("tenant %s: delta runs %s; full sync %s", tenantId, schedule.cron().map(c -> "on cron '" + c + "'")
                    .orElse("every " + schedule.every()), fullSyncs.policyOf(tenantId)
                    .map(p -> "when the last is " + p.every() + " old").orElse("not scheduled"));
        }
        if (config.fullSync().enabled()) {
            scheduler.newJob(FULL_SYNC_CHECK_JOB)
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setInterval(config.fullSync().checkEvery().toString())
                    .setTask(execution -> fullSyncs.checkAll())
                    .schedule();
        } else {
            LOG.info("scheduled full syncs are off on this instance (idsync.poller.full-sync.enabled=false)");
        }
    }

    /** A tick of the tenant's schedule: its full sync if that is due (it covers a delta's work), else a delta run. */
    void trigger(String tenantId) {
        IdsyncConfig.Tenant tenant = tenants.find(tenantId).orElseThrow();
        RunStarter.Outcome outcome;
        try {
            Optional<RunStarter.Outcome> full = fullSyncs.startIfDue(tenantId);
            if (full.isPresent()) {
                return;
            }
            outcome = runner.start(new RunRequest(tenantId, SyncMode.DELTA, tenants.resourcesOf(tenant), null,
                    "schedule"));
        } catch (RuntimeException e) {
            LOG.errorf("tenant %s: the scheduled run could not start: %s", tenantId, e.getMessage());
            return;
        }
        if (outcome instanceof RunStarter.Busy busy) {
            MDC.put("tenant", tenantId);
            try {
                LOG.infof("scheduled run skipped: run %s is still active", busy.activeRunId().orElse("(unknown)"));
            } finally {
                MDC.remove("tenant");
            }
        }
    }
}
