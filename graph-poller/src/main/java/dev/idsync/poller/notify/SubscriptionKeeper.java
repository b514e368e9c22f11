package dev.idsync.poller.notify;

import dev.idsync.poller.config.PollerConfig;
import dev.idsync.poller.metrics.PollerMetrics;
import dev.idsync.poller.notify.GraphSubscriptionClient.GraphSubscription;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Keeps each notification-enabled tenant subscribed to users and groups: creates a missing subscription,
 * re-creates one Graph no longer has (removed, expired), renews one whose remaining lifetime fell below half.
 * Runs every {@code check-every} and at once when a lifecycle event asks. Several instances share the work
 * through PostgreSQL: the tenant's advisory transaction lock (tried, not waited for: an instance at it already
 * does the job) and one row per tenant and resource, so they never create duplicates.
 */
@ApplicationScoped
public class SubscriptionKeeper {

    private static final Logger LOG = Logger.getLogger(SubscriptionKeeper.class);

    private final TenantNotifications tenants;
    private final SubscriptionStore store;
    private final GraphSubscriptionClient graph;
    private final AgroalDataSource dataSource;
    private final PollerConfig config;
    private final PollerMetrics metrics;
    private final Scheduler scheduler;
    private final Clock clock = Clock.systemUTC();
    /** Consecutive failures per tenant: the first is a WARN, the rest DEBUG until one succeeds. */
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    /**
     * After failures the periodic check backs off (doubling, at most 8 checks' interval and 5 minutes), so a tenant
     * that cannot subscribe does not fill the log; a lifecycle event still asks at once.
     */
    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private final ExecutorService asked = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "subscription-keeper");
        t.setDaemon(true);
        return t;
    });

    SubscriptionKeeper(TenantNotifications tenants, SubscriptionStore store, GraphSubscriptionClient graph,
                       AgroalDataSource dataSource, PollerConfig config, PollerMetrics metrics, Scheduler scheduler) {
        this.tenants = tenants;
        this.store = store;
        this.graph = graph;
        this.dataSource = dataSource;
        this.config = config;
        this.metrics = metrics;
        this.scheduler = scheduler;
    }

    void onStart(@Observes StartupEvent event) {
        store.all().forEach(r -> metrics.subscriptionExpiry(r.tenantId(), r.resource(), r.expiresAt()));
        if (!config.notifications().enabled() || tenants.enabledTenants().isEmpty()) {
            LOG.infof("change notifications: no subscriptions kept by this instance (%s)",
                    config.notifications().enabled() ? "no tenant enables them" : "idsync.poller.notifications.enabled=false");
            return;
        }
        LOG.infof("change notifications on for %s; subscriptions checked every %s", tenants.enabledTenants(),
                config.notifications().checkEvery());
        scheduler.newJob("graph-subscriptions")
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setInterval(config.notifications().checkEvery().toString())
                .setTask(execution -> tenants.enabledTenants().stream().filter(this::due).forEach(this::keep))
                .schedule();
    }

    void onStop(@Observes ShutdownEvent event) {
        asked.shutdownNow();
    }

    /** Asks for a check of the tenant soon, off the caller's thread (a notification request must answer fast). */
    public void keepSoon(String tenantId) {
        if (config.notifications().enabled() && tenants.enabled(tenantId)) {
            asked.execute(() -> keep(tenantId));
        }
    }

    /**
     * Graph asked to reauthorize: a renewal (PATCH of the expiration) is Graph's documented answer, and it
     * extends the subscription too.
     */
    public void reauthorizeSoon(String tenantId, String subscriptionId) {
        asked.execute(() -> {
            Optional<SubscriptionRecord> row = store.bySubscriptionId(tenantId, subscriptionId);
            if (row.isEmpty()) {
                return;
            }
            try {
                Instant expiry = clock.instant().plus(tenants.lifetime(tenantId));
                Optional<GraphSubscription> renewed = graph.renew(tenantId, subscriptionId, expiry);
                if (renewed.isPresent()) {
                    withSession(c -> store.renewed(c, subscriptionId, renewed.get().expiration()));
                    metrics.subscriptionExpiry(tenantId, row.get().resource(), renewed.get().expiration());
                    metrics.subscriptionAction(tenantId, row.get().resource(), "reauthorized");
                } else {
                    store.forget(tenantId, subscriptionId);
                    keep(tenantId);
                }
            } catch (RuntimeException e) {
                LOG.warnf("tenant %s: reauthorizing subscription %s failed: %s", tenantId, subscriptionId, e.getMessage());
            }
        });
    }

    private boolean due(String tenantId) {
        Instant next = notBefore.get(tenantId);
        return next == null || !clock.instant().isBefore(next);
    }

    /** One pass over the tenant's resources. Returns without work if another instance holds the tenant. */
    public void keep(String tenantId) {
        MDC.put("tenant", tenantId);
        try (Connection c = dataSource.getConnection()) {
            String lock = "idsync-poller-subscriptions:" + tenantId;
            if (!lock(c, "select pg_try_advisory_lock(hashtextextended(?, 0))", lock)) {
                return;
            }
            c.setAutoCommit(false);
            try {
                if (tenants.clientState(tenantId).isEmpty()) {
                    throw new IllegalStateException("environment variable " + tenants.clientStateEnv(tenantId)
                            + " (notifications.client-state-env) is not set");
                }
                // Each resource's row is committed as soon as Graph created or renewed its subscription, so a
                // failure with the next one never forgets a subscription that exists at Graph.
                for (String resource : tenants.resources(tenantId)) {
                    keep(c, tenantId, resource);
                    c.commit();
                }
                notBefore.remove(tenantId);
                if (failures.remove(tenantId) != null) {
                    LOG.info("subscriptions are in order again");
                }
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                int n = failures.merge(tenantId, 1, Integer::sum);
                Duration every = config.notifications().checkEvery();
                Duration wait = every.multipliedBy(1L << Math.min(n - 1, 3));
                notBefore.put(tenantId, clock.instant().plus(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait));
                metrics.subscriptionAction(tenantId, "any", "failed");
                if (n == 1) {
                    LOG.warnf("could not keep the change-notification subscriptions (the delta schedule still runs; "
                            + "tried again with backoff from %s): %s", config.notifications().checkEvery(), e.getMessage());
                } else {
                    LOG.debugf("subscriptions still failing (%d): %s", n, e.getMessage());
                }
            } finally {
                c.setAutoCommit(true);
                lock(c, "select pg_advisory_unlock(hashtextextended(?, 0))", lock);
            }
        } catch (SQLException e) {
            LOG.warnf("subscriptions: no database session: %s", e.getMessage());
        } finally {
            MDC.remove("tenant");
        }
    }

    private void keep(Connection c, String tenantId, String resource) throws SQLException {
        Instant now = clock.instant();
        Duration lifetime = tenants.lifetime(tenantId);
        Optional<SubscriptionRecord> row = store.find(c, tenantId, resource);
        String url = tenants.notificationUrl(tenantId);
        if (row.isPresent() && !row.get().notificationUrl().equals(url)) {
            // The public URL changed: a subscription to the old one would deliver nowhere we listen.
            graph.delete(tenantId, row.get().subscriptionId());
            store.remove(c, tenantId, resource);
            row = Optional.empty();
        }
        if (row.isPresent()) {
            SubscriptionRecord current = row.get();
            Duration left = Duration.between(now, current.expiresAt());
            if (left.compareTo(lifetime.dividedBy(2)) < 0) {
                Optional<GraphSubscription> renewed = graph.renew(tenantId, current.subscriptionId(), now.plus(lifetime));
                if (renewed.isPresent()) {
                    store.renewed(c, current.subscriptionId(), renewed.get().expiration());
                    metrics.subscriptionExpiry(tenantId, resource, renewed.get().expiration());
                    metrics.subscriptionAction(tenantId, resource, "renewed");
                    LOG.debugf("subscription %s (%s) renewed until %s", current.subscriptionId(), resource,
                            renewed.get().expiration());
                    return;
                }
            } else if (graph.find(tenantId, current.subscriptionId()).isPresent()) {
                return;
            }
            LOG.infof("subscription %s (%s) is gone at Graph; creating a new one", current.subscriptionId(), resource);
        }
        GraphSubscription created = graph.create(tenantId, resource, tenants.changeTypes(tenantId), url,
                tenants.lifecycleUrl(tenantId), tenants.clientState(tenantId).orElseThrow(), now.plus(lifetime));
        store.put(c, tenantId, resource, created.id(), created.expiration(), url);
        metrics.subscriptionExpiry(tenantId, resource, created.expiration());
        metrics.subscriptionAction(tenantId, resource, row.isPresent() ? "recreated" : "created");
        LOG.infof("subscribed to %s change notifications: subscription %s until %s", resource, created.id(),
                created.expiration());
    }

    private interface SessionWork {
        void run(Connection c) throws SQLException;
    }

    private void withSession(SessionWork work) {
        try (Connection c = dataSource.getConnection()) {
            work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A session lock, held across the per-resource commits and released before the session returns to the pool. */
    private static boolean lock(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, key);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
