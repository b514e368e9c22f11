package dev.idsync.emulator.control;

import dev.idsync.emulator.directory.TenantRegistry;
import dev.idsync.emulator.subscriptions.DeliveryLog;
import dev.idsync.emulator.subscriptions.NotificationDispatcher;
import dev.idsync.emulator.subscriptions.Subscription;
import dev.idsync.emulator.subscriptions.SubscriptionSettings;
import dev.idsync.emulator.subscriptions.SubscriptionStore;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Control of change notifications: a tenant's subscriptions as Graph holds them, their settings (maximum
 * lifetime, delay, retries), lifecycle events on demand and the log of what was sent.
 */
@Path("/_emulator/tenants/{tenantId}")
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionControlResource {

    private static final Set<String> LIFECYCLE_EVENTS = Set.of("reauthorizationRequired", "subscriptionRemoved", "missed");

    /** Absent fields keep their value; durations in ISO-8601 ({@code PT20S}). */
    public record SubscriptionSettingsSpec(Duration maxLifetime, Duration notificationDelay, Integer maxDeliveryAttempts,
                                           Duration initialRetryBackoff, Duration maxRetryBackoff, Boolean allowHttp) {
    }

    public record LifecycleRequest(String event) {
    }

    private final TenantRegistry tenants;
    private final SubscriptionStore store;
    private final NotificationDispatcher dispatcher;
    private final DeliveryLog deliveries;

    public SubscriptionControlResource(TenantRegistry tenants, SubscriptionStore store, NotificationDispatcher dispatcher,
                                       DeliveryLog deliveries) {
        this.tenants = tenants;
        this.store = store;
        this.dispatcher = dispatcher;
        this.deliveries = deliveries;
    }

    @GET
    @Path("subscriptions")
    public List<Map<String, Object>> subscriptions(@PathParam("tenantId") String tenantId) {
        tenant(tenantId);
        return store.of(tenantId).stream().map(Subscription::json).toList();
    }

    @GET
    @Path("subscription-settings")
    public SubscriptionSettings settings(@PathParam("tenantId") String tenantId) {
        tenant(tenantId);
        return store.settings(tenantId);
    }

    @PUT
    @Path("subscription-settings")
    public SubscriptionSettings settings(@PathParam("tenantId") String tenantId, SubscriptionSettingsSpec spec) {
        tenant(tenantId);
        if (spec == null) {
            throw new IllegalArgumentException("a JSON body is required");
        }
        SubscriptionSettings old = store.settings(tenantId);
        SubscriptionSettings updated = new SubscriptionSettings(
                spec.maxLifetime() == null ? old.maxLifetime() : spec.maxLifetime(),
                spec.notificationDelay() == null ? old.notificationDelay() : spec.notificationDelay(),
                spec.maxDeliveryAttempts() == null ? old.maxDeliveryAttempts() : spec.maxDeliveryAttempts(),
                spec.initialRetryBackoff() == null ? old.initialRetryBackoff() : spec.initialRetryBackoff(),
                spec.maxRetryBackoff() == null ? old.maxRetryBackoff() : spec.maxRetryBackoff(),
                spec.allowHttp() == null ? old.allowHttp() : spec.allowHttp());
        store.settings(tenantId, updated);
        return updated;
    }

    /**
     * Sends a lifecycle event to the subscription's lifecycleNotificationUrl as Graph would; for
     * {@code subscriptionRemoved} the subscription is deleted first.
     */
    @POST
    @Path("subscriptions/{id}/lifecycle")
    public Response lifecycle(@PathParam("tenantId") String tenantId, @PathParam("id") String id, LifecycleRequest request) {
        tenant(tenantId);
        if (request == null || request.event() == null || !LIFECYCLE_EVENTS.contains(request.event())) {
            throw new IllegalArgumentException("'event' must be one of " + LIFECYCLE_EVENTS);
        }
        Subscription subscription = store.find(tenantId, id)
                .orElseThrow(() -> new IllegalArgumentException("tenant " + tenantId + " has no subscription '" + id + "'"));
        if (request.event().equals("subscriptionRemoved")) {
            store.remove(tenantId, id);
        }
        dispatcher.lifecycle(subscription, request.event());
        return Response.accepted(Map.of("subscriptionId", id, "event", request.event())).build();
    }

    /** What was sent: validation requests, notification batches (with attempts and outcome), lifecycle events. */
    @GET
    @Path("notifications")
    public List<DeliveryLog.Delivery> notifications(@PathParam("tenantId") String tenantId) {
        tenant(tenantId);
        return deliveries.of(tenantId);
    }

    @DELETE
    @Path("notifications")
    public Response clearNotifications(@PathParam("tenantId") String tenantId) {
        tenant(tenantId);
        deliveries.clear(tenantId);
        return Response.noContent().build();
    }

    private void tenant(String tenantId) {
        tenants.find(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId));
    }

    @ServerExceptionMapper
    public Response problem(RuntimeException e) {
        return ControlExceptionMappers.map(e);
    }
}
