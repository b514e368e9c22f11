package dev.idsync.profile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * profile-writer's Prometheus metrics: confirmed updates, rejections by reason, imports, confirmation
 * mismatches and the Graph round-trip latency per operation and outcome.
 */
@ApplicationScoped
public class ProfileMetrics {

    private final MeterRegistry registry;

    ProfileMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void updated(String tenant) {
        Counter.builder("idsync.profile.updates").description("profile updates confirmed by Entra and published")
                .tag("tenant", tenant).register(registry).increment();
    }

    public void rejected(String tenant, String reason) {
        Counter.builder("idsync.profile.rejections").description("profile updates refused, by reason")
                .tag("tenant", tenant).tag("reason", reason).register(registry).increment();
    }

    public void mismatches(String tenant, int count) {
        Counter.builder("idsync.profile.confirmation.mismatches")
                .description("fields Entra confirmed with a value other than the one written")
                .tag("tenant", tenant).register(registry).increment(count);
    }

    public void imported(String tenant) {
        Counter.builder("idsync.profile.imports").description("single users imported from Entra")
                .tag("tenant", tenant).register(registry).increment();
    }

    public void graphCall(String tenant, String operation, String outcome, long nanos) {
        Timer.builder("idsync.profile.graph.requests").description("Graph round trips (one attempt each)")
                .tag("tenant", tenant).tag("operation", operation).tag("outcome", outcome)
                .publishPercentileHistogram(false)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
}
