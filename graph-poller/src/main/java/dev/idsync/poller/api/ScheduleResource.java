package dev.idsync.poller.api;

import dev.idsync.api.ProblemException;
import dev.idsync.api.Roles;
import dev.idsync.config.IdsyncConfig;
import dev.idsync.poller.config.PollerConfig;
import dev.idsync.poller.graph.PollerTenants;
import dev.idsync.poller.run.FullSyncPolicy;
import dev.idsync.poller.run.FullSyncSchedule;
import dev.idsync.poller.schedule.FullSyncScheduler;
import dev.idsync.poller.schedule.TenantScheduler;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * When the tenant's next scheduled runs are: the delta run as this instance's scheduler has it programmed
 * (the exact next fire time of its job, interval or cron), and the scheduled full sync as the durable
 * schedule ({@code poller.full_sync_schedule}) says it is due. The admin console shows these instead of
 * estimating them.
 */
@Path("/api/tenants/{tenantId}/schedule")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Schedule", description = "The tenant's next scheduled delta run and full sync.")
public class ScheduleResource {

    /**
     * The delta schedule. {@code nextRunAt}: the next tick of this instance's job (null when it has none;
     * {@code note} says why). Several poller instances each tick; the earliest tick runs, the others find the
     * tenant busy and skip.
     */
    public record DeltaSchedule(boolean enabled, Duration every, String cron, Instant nextRunAt, String note) {
    }

    /**
     * The scheduled full sync. {@code dueAt}: when it becomes due by the durable schedule (null before the
     * first check saw the tenant); it starts at the first check or delta tick at or after it
     * ({@code nextCheckAt}: this instance's next check), or right after a run of the tenant that holds it up.
     */
    public record FullSyncStatus(boolean enabled, Duration every, Instant lastFullSyncAt, String lastFullRunId,
                                 Instant lastAttemptAt, Instant dueAt, boolean due, Instant nextCheckAt, String note) {
    }

    public record ScheduleView(String tenantId, Instant now, DeltaSchedule delta, FullSyncStatus fullSync) {
    }

    private final PollerTenants tenants;
    private final PollerConfig config;
    private final Scheduler scheduler;
    private final FullSyncScheduler fullSyncs;
    private final FullSyncSchedule schedule;

    ScheduleResource(PollerTenants tenants, PollerConfig config, Scheduler scheduler, FullSyncScheduler fullSyncs,
                     FullSyncSchedule schedule) {
        this.tenants = tenants;
        this.config = config;
        this.scheduler = scheduler;
        this.fullSyncs = fullSyncs;
        this.schedule = schedule;
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "The tenant's next scheduled runs", description = "The next scheduled delta run (this "
            + "instance's job: exact, interval or cron) and the scheduled full sync (due time by the durable schedule, "
            + "last full sync, last attempt). Null times come with a `note` saying why.")
    @APIResponse(responseCode = "200", description = "The schedule.")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant is not in idsync.yaml.")
    public ScheduleView get(@PathParam("tenantId") String tenantId) {
        IdsyncConfig.Tenant tenant = tenants.find(tenantId).orElseThrow(
                () -> ProblemException.notFound("no tenant '" + tenantId + "' in idsync.yaml"));
        return new ScheduleView(tenantId, Instant.now(), delta(tenantId, tenant.schedule()), fullSync(tenantId));
    }

    private DeltaSchedule delta(String tenantId, IdsyncConfig.Schedule s) {
        Duration every = s.cron().isPresent() ? null : s.every();
        String cron = s.cron().orElse(null);
        if (!s.enabled()) {
            return new DeltaSchedule(false, every, cron, null, "scheduled runs are off for the tenant (on request only)");
        }
        if (!config.scheduler().enabled()) {
            return new DeltaSchedule(true, every, cron, null,
                    "scheduled runs are off on this instance (idsync.poller.scheduler.enabled=false)");
        }
        Optional<Instant> next = nextFire(TenantScheduler.deltaJob(tenantId));
        return new DeltaSchedule(true, every, cron, next.orElse(null),
                next.isPresent() ? null : "this instance has not programmed the tenant's job (yet)");
    }

    private FullSyncStatus fullSync(String tenantId) {
        Optional<FullSyncPolicy> policy = fullSyncs.policyOf(tenantId);
        if (policy.isEmpty()) {
            String why = !config.scheduler().enabled() ? "scheduled runs are off on this instance"
                    : !config.fullSync().enabled() ? "scheduled full syncs are off on this instance"
                    : "scheduled full syncs are off for the tenant";
            return new FullSyncStatus(false, null, null, null, null, null, false, null, why);
        }
        Duration every = policy.get().every();
        Instant nextCheck = nextFire(TenantScheduler.FULL_SYNC_CHECK_JOB).orElse(null);
        return schedule.status(tenantId, policy.get())
                .map(st -> new FullSyncStatus(true, every, st.lastFullSyncAt().orElse(null),
                        st.lastFullRunId().orElse(null), st.lastAttemptAt().orElse(null), st.nextDueAt(),
                        !st.nextDueAt().isAfter(Instant.now()), nextCheck, null))
                .orElseGet(() -> new FullSyncStatus(true, every, null, null, null, null, false, nextCheck,
                        "not seen by a check yet: the first check sets the baseline, due one interval later"));
    }

    private Optional<Instant> nextFire(String job) {
        Trigger trigger = scheduler.getScheduledJob(job);
        return Optional.ofNullable(trigger).map(Trigger::getNextFireTime);
    }
}
