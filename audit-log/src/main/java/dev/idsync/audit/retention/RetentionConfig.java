package dev.idsync.audit.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/**
 * How long the audit keeps each tenant's events: {@code audit.retention.default-days} for every tenant,
 * {@code audit.retention.tenants."<tenant id>"} to override one. Whole month partitions are dropped once
 * their last day is older than that, so an event stays at least the configured days and at most about
 * a month longer.
 */
@ConfigMapping(prefix = "audit.retention")
public interface RetentionConfig {

    @WithDefault("365")
    int defaultDays();

    Map<String, Integer> tenants();

    /** How often the job runs ({@code off} disables it: the tests run it with their own clock). */
    @WithDefault("1h")
    String every();

    /** How long after start the job first runs. */
    @WithDefault("1m")
    String delay();

    default int daysFor(String tenant) {
        return tenants().getOrDefault(tenant, defaultDays());
    }
}
