package dev.idsync.poller.notify;

import dev.idsync.events.SyncMode;
import dev.idsync.poller.config.PollerConfig;
import dev.idsync.poller.metrics.PollerMetrics;
import dev.idsync.poller.run.RunEnded;
import dev.idsync.poller.run.RunRequest;
import dev.idsync.poller.run.RunStarter;
import dev.idsync.poller.run.SyncRunner;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Turns notifications into delta runs of the notified resource: requests for one tenant and resource within
 * the debounce window become one run; a request while that resource's run is active (here or on another
 * instance) is remembered once and starts one run after it. The notification's content is never used as data:
 * the run reads the change through delta pages like any other run, so ordering and idempotence stay as they are.
 * Requests live in memory: one lost with this instance is caught by the next scheduled delta run.
 */
@ApplicationScoped
public class NotificationRuns {

    private static final Logger LOG = Logger.getLogger(NotificationRuns.class);

    private record Key(String tenantId, String resource) {
    }

    /** One key's state, guarded by its own monitor. */
    private static final class Pending {
        boolean requested;
        boolean armed;
    }

    private final SyncRunner runner;
    private final PollerConfig config;
    private final PollerMetrics metrics;
    private final Map<Key, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "notification-runs");
        t.setDaemon(true);
        return t;
    });

    NotificationRuns(SyncRunner runner, PollerConfig config, PollerMetrics metrics) {
        this.runner = runner;
        this.config = config;
        this.metrics = metrics;
    }

    /** A notification (or lifecycle event) says the resource changed: a delta run soon. Never blocks. */
    public void request(String tenantId, String resource) {
        Key key = new Key(tenantId, resource);
        Pending p = pending.computeIfAbsent(key, k -> new Pending());
        synchronized (p) {
            p.requested = true;
            if (p.armed) {
                return;
            }
            p.armed = true;
        }
        timer.schedule(() -> fire(key), config.notifications().debounce().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A run ended here: a request that waited for it starts now rather than at its next retry. */
    void onRunEnded(@ObservesAsync RunEnded ended) {
        pending.forEach((key, p) -> {
            if (key.tenantId().equals(ended.tenantId())) {
                synchronized (p) {
                    if (!p.requested || p.armed) {
                        return;
                    }
                    p.armed = true;
                }
                timer.execute(() -> fire(key));
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }

    private void fire(Key key) {
        Pending p = pending.get(key);
        synchronized (p) {
            if (!p.requested) {
                p.armed = false;
                return;
            }
            p.requested = false;
        }
        RunStarter.Outcome outcome;
        try {
            outcome = runner.start(new RunRequest(key.tenantId(), SyncMode.DELTA, List.of(key.resource()), null,
                    "notification"));
        } catch (RuntimeException e) {
            LOG.warnf("tenant %s: the %s run a notification asked for could not start (retried): %s", key.tenantId(),
                    key.resource(), e.getMessage());
            outcome = new RunStarter.Busy(java.util.Optional.empty());
        }
        if (outcome instanceof RunStarter.Started started) {
            metrics.notificationRun(key.tenantId(), key.resource(), "started");
            LOG.debugf("tenant %s: notification run %s of %s", key.tenantId(), started.run().runId(), key.resource());
            synchronized (p) {
                p.armed = false;
            }
            return;
        }
        // Busy: the resource's run is active. Ask again until it is free; requests meanwhile fold into this one.
        metrics.notificationRun(key.tenantId(), key.resource(), "queued");
        synchronized (p) {
            p.requested = true;
        }
        timer.schedule(() -> fire(key), config.notifications().busyRetry().toMillis(), TimeUnit.MILLISECONDS);
    }
}
