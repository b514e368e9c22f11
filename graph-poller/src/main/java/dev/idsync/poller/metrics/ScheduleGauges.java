package dev.idsync.poller.metrics;

import dev.idsync.config.IdsyncConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code idsync_poller_schedule_interval_seconds{tenant}}: each tenant's configured delta-run interval, so
 * the alert "no successful sync for two schedule periods" (components/monitoring) can compare
 * {@code idsync_poller_last_success_seconds} with the tenant's own period rather than one fixed number.
 * Only tenants whose schedule is enabled and an interval ({@code every}); a cron schedule has no single
 * period and is left out (no alert for it).
 */
@Startup
@ApplicationScoped
public class ScheduleGauges {

    ScheduleGauges(IdsyncConfig config, MeterRegistry registry) {
        config.tenants().forEach((tenant, settings) -> {
            IdsyncConfig.Schedule schedule = settings.schedule();
            if (schedule.enabled() && schedule.cron().isEmpty()) {
                double seconds = schedule.every().toMillis() / 1000.0;
                Gauge.builder("idsync.poller.schedule.interval.seconds", () -> seconds)
                        .description("the tenant's configured interval between delta runs")
                        .tag("tenant", tenant).register(registry);
            }
        });
    }
}
