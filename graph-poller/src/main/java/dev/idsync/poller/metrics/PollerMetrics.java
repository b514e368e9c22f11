package dev.idsync.poller.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The poller's Prometheus metrics, tagged by tenant and resource: run duration and outcome, pages, objects,
 * objects/s of the last round, retries, resyncs, last successful run and age of the stored delta token.
 */
@ApplicationScoped
public class PollerMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Instant>> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Instant>> tokenStored = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> objectsPerSecond = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Instant>> subscriptionExpiries = new ConcurrentHashMap<>();

    PollerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void runEnded(String tenant, String mode, String outcome, Duration duration) {
        Timer.builder("idsync.poller.run.duration").description("Duration of sync runs")
                .tags("tenant", tenant, "mode", mode, "outcome", outcome).register(registry).record(duration);
        // Both failure outcomes at 0 from the tenant's first run on, so a dashboard's increase() sees the first one.
        for (String failure : new String[] {"failed", "interrupted"}) {
            Counter.builder("idsync.poller.run.failures").description("Runs that failed or were interrupted")
                    .tags("tenant", tenant, "outcome", failure).register(registry);
        }
        if (!"completed".equals(outcome)) {
            Counter.builder("idsync.poller.run.failures").description("Runs that failed or were interrupted")
                    .tags("tenant", tenant, "outcome", outcome).register(registry).increment();
        }
    }

    public void page(String tenant, String resource, int objects, int events, int retries) {
        counter("idsync.poller.pages", "Delta pages published", tenant, resource).increment();
        counter("idsync.poller.objects", "Graph objects read", tenant, resource).increment(objects);
        counter("idsync.poller.events", "Events published", tenant, resource).increment(events);
        // Registered with the first page even without retries: a throttling panel and rate() need the series at 0.
        counter("idsync.poller.graph.retries", "Graph requests retried (429/5xx/dropped)", tenant, resource)
                .increment(retries);
    }

    public void resync(String tenant, String resource, String reason) {
        Counter.builder("idsync.poller.resyncs").description("New initial rounds forced by Graph or a changed query")
                .tags("tenant", tenant, "resource", resource, "reason", reason).register(registry).increment();
    }

    /** A round of the resource ended with a stored token. */
    public void roundCompleted(String tenant, String resource, long objects, Duration duration) {
        Instant now = Instant.now();
        // At 0 from the first round on, so IdsyncDeltaTokenExpired's increase() sees the first expiry.
        Counter.builder("idsync.poller.resyncs").description("New initial rounds forced by Graph or a changed query")
                .tags("tenant", tenant, "resource", resource, "reason", "expired").register(registry);
        gaugeInstant(lastSuccess, "idsync.poller.last.success.seconds",
                "Epoch seconds of the last completed round", tenant, resource).set(now);
        gaugeInstant(tokenStored, "idsync.poller.token.stored.seconds",
                "Epoch seconds when the current delta token was stored", tenant, resource).set(now);
        double seconds = Math.max(duration.toNanos(), 1) / 1e9;
        objectsGauge(tenant, resource).set(objects / seconds);
    }

    /** After a restart: what the database says, so token age is right before the first run. */
    public void tokenKnown(String tenant, String resource, Instant storedAt) {
        gaugeInstant(tokenStored, "idsync.poller.token.stored.seconds",
                "Epoch seconds when the current delta token was stored", tenant, resource).compareAndSet(null, storedAt);
    }

    /** Notifications received: {@code kind} change/lifecycle/validation, {@code outcome} accepted. */
    public void notifications(String tenant, String kind, String outcome, int count) {
        Counter.builder("idsync.poller.notifications").description("Graph change notifications received")
                .tags("tenant", tenant, "kind", kind, "outcome", outcome).register(registry).increment(count);
    }

    /** A notification POST refused: {@code reason} clientState, tenant, schema or notEnabled. */
    public void notificationRejected(String tenant, String reason) {
        Counter.builder("idsync.poller.notifications.rejected")
                .description("Notification POSTs refused (wrong clientState, other tenant, bad schema, not enabled)")
                .tags("tenant", tenant, "reason", reason).register(registry).increment();
    }

    /** A debounced request for a delta run: {@code started}, or {@code queued} behind an active run. */
    public void notificationRun(String tenant, String resource, String outcome) {
        Counter.builder("idsync.poller.notification.runs").description("Delta runs asked for by notifications")
                .tags("tenant", tenant, "resource", resource, "outcome", outcome).register(registry).increment();
    }

    /** What the subscription keeper did: created, renewed, recreated, reauthorized, failed. */
    public void subscriptionAction(String tenant, String resource, String action) {
        Counter.builder("idsync.poller.subscriptions.actions").description("Graph subscription changes by the poller")
                .tags("tenant", tenant, "resource", resource, "action", action).register(registry).increment();
    }

    /** The subscription's expiration (epoch seconds); time left = this - time(). */
    public void subscriptionExpiry(String tenant, String resource, Instant expiresAt) {
        gaugeInstant(subscriptionExpiries, "idsync.poller.subscription.expiry.seconds",
                "Epoch seconds when the tenant's Graph subscription expires", tenant, resource).set(expiresAt);
    }

    private Counter counter(String name, String description, String tenant, String resource) {
        return Counter.builder(name).description(description).tags("tenant", tenant, "resource", resource)
                .register(registry);
    }

    private AtomicReference<Double> objectsGauge(String tenant, String resource) {
        return objectsPerSecond.computeIfAbsent(tenant + "/" + resource, k -> {
            AtomicReference<Double> ref = new AtomicReference<>(0.0);
            registry.gauge("idsync.poller.objects.per.second", io.micrometer.core.instrument.Tags.of("tenant", tenant,
                    "resource", resource), ref, r -> r.get());
            return ref;
        });
    }

    private AtomicReference<Instant> gaugeInstant(Map<String, AtomicReference<Instant>> map, String name,
                                                  String description, String tenant, String resource) {
        return map.computeIfAbsent(tenant + "/" + resource, k -> {
            AtomicReference<Instant> ref = new AtomicReference<>();
            io.micrometer.core.instrument.Gauge.builder(name, ref,
                            r -> r.get() == null ? Double.NaN : r.get().toEpochMilli() / 1000.0)
                    .description(description).tags("tenant", tenant, "resource", resource).register(registry);
            return ref;
        });
    }
}
