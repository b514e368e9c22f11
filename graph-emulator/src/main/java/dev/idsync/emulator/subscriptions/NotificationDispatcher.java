package dev.idsync.emulator.subscriptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.emulator.directory.ChangeOp;
import dev.idsync.emulator.directory.DirectoryObject;
import dev.idsync.emulator.directory.ObjectKind;
import dev.idsync.emulator.directory.Tenant;
import dev.idsync.emulator.directory.TenantRegistry;
import dev.idsync.emulator.faults.FaultRegistry;
import dev.idsync.emulator.faults.FaultType;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Graph's side of change notifications: watches each subscribed tenant's change log and POSTs a basic
 * notification (no resource data) per changed user or group to every matching subscription, in batches, after
 * the tenant's {@code notificationDelay}; retries a failed POST with exponential backoff up to
 * {@code maxDeliveryAttempts}, then drops it and sends a {@code missed} lifecycle event. Subscriptions past
 * their expiration are deleted and get nothing. Notification faults (lost, duplicated, out of order) are
 * matched against the notification URL's path.
 */
@ApplicationScoped
public class NotificationDispatcher {

    private static final Logger LOG = Logger.getLogger(NotificationDispatcher.class);
    /** Notifications per POST; Graph batches too, and a receiver must take several at once. */
    static final int BATCH = 10;
    private static final long POLL_MILLIS = 25;

    private final TenantRegistry tenants;
    private final SubscriptionStore store;
    private final FaultRegistry faults;
    private final DeliveryLog log;
    private final ObjectMapper json;
    private final Clock clock;
    private final WebhookClient webhooks = new WebhookClient();
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    private java.util.concurrent.ExecutorService senders;

    NotificationDispatcher(TenantRegistry tenants, SubscriptionStore store, FaultRegistry faults, DeliveryLog log,
                           ObjectMapper json, Clock clock) {
        this.tenants = tenants;
        this.store = store;
        this.faults = faults;
        this.log = log;
        this.json = json;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "notification-timer"));
        senders = Executors.newVirtualThreadPerTaskExecutor();
        timer.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
            senders.shutdownNow();
        }
    }

    /** Graph's validation handshake (before a subscription is created). */
    boolean validate(String tenantId, String url) {
        String token = "Validation: Testing client application reachability for subscription Request-Id: "
                + java.util.UUID.randomUUID();
        boolean ok = webhooks.validates(url, token);
        log.add(new DeliveryLog.Delivery(clock.instant(), tenantId, null, "validation", url, 0, 1, 0,
                ok ? "delivered" : "failed"));
        return ok;
    }

    /**
     * From now on the tenant's changes are notified; changes before the first subscription are not (its cursor
     * starts at the log's end).
     */
    void watch(Tenant tenant) {
        cursors.computeIfAbsent(key(tenant.id()), k -> tenant.withReadLock(tenant::lastSequence));
    }

    /** The tenant is gone: its subscriptions, settings and change cursor with it. */
    public void forget(String tenantId) {
        store.dropTenant(tenantId);
        cursors.remove(key(tenantId));
    }

    /** Sends a lifecycle event ({@code reauthorizationRequired}, {@code subscriptionRemoved}, {@code missed}). */
    public void lifecycle(Subscription subscription, String event) {
        if (subscription.lifecycleNotificationUrl() == null) {
            return;
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("subscriptionId", subscription.id());
        item.put("subscriptionExpirationDateTime", subscription.expiration().toString());
        item.put("tenantId", subscription.tenantId());
        item.put("clientState", subscription.clientState());
        item.put("lifecycleEvent", event);
        send(subscription, subscription.lifecycleNotificationUrl(), "lifecycle", List.of(item), Duration.ZERO, 1);
    }

    private void poll() {
        try {
            for (String tenantKey : store.tenants()) {
                Optional<Tenant> tenant = tenants.find(tenantKey);
                if (tenant.isEmpty()) {
                    store.dropTenant(tenantKey);
                    cursors.remove(tenantKey);
                    continue;
                }
                store.expire(tenantKey, clock.instant()).forEach(s -> LOG.infof(
                        "subscription %s of tenant %s expired at %s and was deleted", s.id(), tenantKey, s.expiration()));
                List<Subscription> live = store.of(tenantKey);
                if (!live.isEmpty()) {
                    dispatch(tenant.get(), live);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "notification dispatch failed; next poll continues");
        }
    }

    private record Change(String resource, String id, String changeType) {
    }

    private void dispatch(Tenant tenant, List<Subscription> live) {
        String key = key(tenant.id());
        List<Change> changes = tenant.withReadLock(() -> {
            long last = tenant.lastSequence();
            long from = cursors.getOrDefault(key, last);
            if (from > last) {
                from = 0; // the tenant was reset: its log starts again
            }
            List<Change> out = new ArrayList<>();
            tenant.changeLog().forEach(from, last, (seq, ordinal, op, mask, member) -> {
                DirectoryObject object = tenant.byOrdinal(ordinal);
                if (object != null && (object.kind() == ObjectKind.USER || object.kind() == ObjectKind.GROUP)) {
                    out.add(new Change(object.kind() == ObjectKind.USER ? "users" : "groups", object.id(), changeType(op)));
                }
            });
            cursors.put(key, last);
            return out;
        });
        if (changes.isEmpty()) {
            return;
        }
        for (Subscription subscription : live) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (Change change : changes) {
                if (change.resource().equals(subscription.resource())
                        && subscription.changeTypes().contains(change.changeType())) {
                    items.add(notification(subscription, change));
                }
            }
            deliverWithFaults(subscription, items);
        }
    }

    private void deliverWithFaults(Subscription subscription, List<Map<String, Object>> items) {
        String path = URI.create(subscription.notificationUrl()).getPath();
        Duration delay = store.settings(subscription.tenantId()).notificationDelay();
        List<Map<String, Object>> now = new ArrayList<>();
        for (Map<String, Object> item : items) {
            FaultType fault = faults.matchNotification(path).map(f -> f.spec().type()).orElse(null);
            if (fault == FaultType.NOTIFICATION_LOST) {
                log.add(new DeliveryLog.Delivery(clock.instant(), subscription.tenantId(), subscription.id(), "change",
                        subscription.notificationUrl(), 1, 0, 0, "lost"));
            } else if (fault == FaultType.NOTIFICATION_OUT_OF_ORDER) {
                send(subscription, subscription.notificationUrl(), "change", List.of(item), delay.plusSeconds(1), 1);
            } else {
                now.add(item);
                if (fault == FaultType.NOTIFICATION_DUPLICATED) {
                    now.add(item);
                }
            }
        }
        for (int i = 0; i < now.size(); i += BATCH) {
            send(subscription, subscription.notificationUrl(), "change", now.subList(i, Math.min(now.size(), i + BATCH)),
                    delay, 1);
        }
    }

    private void send(Subscription subscription, String url, String kind, List<Map<String, Object>> items,
                      Duration delay, int attempt) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(Map.of("value", List.copyOf(items)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        Runnable task = () -> senders.execute(() -> attempt(subscription, url, kind, items.size(), body, attempt));
        if (delay.isZero()) {
            task.run();
        } else {
            timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void attempt(Subscription subscription, String url, String kind, int count, byte[] body, int attempt) {
        int status = webhooks.post(url, body);
        SubscriptionSettings settings = store.settings(subscription.tenantId());
        String outcome;
        if (status >= 200 && status < 300) {
            outcome = "delivered";
        } else if (attempt < settings.maxDeliveryAttempts()) {
            outcome = "retrying";
            Duration wait = settings.backoffAfter(attempt);
            timer.schedule(() -> senders.execute(() -> attempt(subscription, url, kind, count, body, attempt + 1)),
                    wait.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            outcome = "dropped";
            LOG.infof("tenant %s: %d %s notification(s) of subscription %s dropped after %d attempts (last status %d)",
                    subscription.tenantId(), count, kind, subscription.id(), attempt, status);
            if ("change".equals(kind)) {
                // Graph tells the app that it lost notifications, so it can catch up with a delta query.
                lifecycle(subscription, "missed");
            }
        }
        log.add(new DeliveryLog.Delivery(clock.instant(), subscription.tenantId(), subscription.id(), kind, url, count,
                attempt, status, outcome));
    }

    private static Map<String, Object> notification(Subscription subscription, Change change) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", java.util.UUID.randomUUID().toString());
        item.put("subscriptionId", subscription.id());
        item.put("subscriptionExpirationDateTime", subscription.expiration().toString());
        item.put("changeType", change.changeType());
        String type = change.resource().equals("users") ? "User" : "Group";
        item.put("resource", type + "s/" + change.id());
        item.put("clientState", subscription.clientState());
        item.put("tenantId", subscription.tenantId());
        // Basic notifications: which object, never its properties (those come from a delta query).
        Map<String, Object> resourceData = new LinkedHashMap<>();
        resourceData.put("@odata.type", "#Microsoft.Graph." + type);
        resourceData.put("@odata.id", type + "s/" + change.id());
        resourceData.put("id", change.id());
        item.put("resourceData", resourceData);
        return item;
    }

    /** Graph's change types for a log entry: membership changes are updates of the group. */
    static String changeType(ChangeOp op) {
        return switch (op) {
            case CREATE -> "created";
            case SOFT_DELETE, HARD_DELETE -> "deleted";
            case UPDATE, RESTORE, MEMBER_ADD, MEMBER_REMOVE -> "updated";
        };
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String key(String tenantId) {
        return tenantId.toLowerCase(Locale.ROOT);
    }
}
