package dev.idsync.poller.notify;

import dev.idsync.api.FieldError;
import dev.idsync.api.ProblemException;
import dev.idsync.poller.config.PollerConfig;
import dev.idsync.poller.metrics.PollerMetrics;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Where Graph delivers change notifications and lifecycle events for one tenant. Public: Graph sends no bearer
 * token, so everything else is checked: the tenant must have notifications on, the body must match Graph's
 * schema (400 naming the field), every item must carry the tenant's {@code clientState} (else 401, nothing
 * triggered) and name the tenant's Entra tenant (else 403). Accepted work is only queued (a debounced delta run,
 * a subscription check) and answered 202 at once: Graph wants an answer within 3 seconds.
 */
@Path(TenantNotifications.PATH + "/{tenantId}")
@PermitAll
public class GraphNotificationResource {

    private static final Logger LOG = Logger.getLogger(GraphNotificationResource.class);
    /** Graph's tokens are a few hundred characters; anything far beyond is not one. */
    private static final int MAX_VALIDATION_TOKEN = 1024;

    private final TenantNotifications tenants;
    private final NotificationRuns runs;
    private final SubscriptionKeeper keeper;
    private final SubscriptionStore subscriptions;
    private final PollerMetrics metrics;
    private final PollerConfig config;

    GraphNotificationResource(TenantNotifications tenants, NotificationRuns runs, SubscriptionKeeper keeper,
                              SubscriptionStore subscriptions, PollerMetrics metrics, PollerConfig config) {
        this.tenants = tenants;
        this.runs = runs;
        this.keeper = keeper;
        this.subscriptions = subscriptions;
        this.metrics = metrics;
        this.config = config;
    }

    @POST
    public Response changes(@PathParam("tenantId") String tenantId, @QueryParam("validationToken") String validationToken,
                            byte[] body) {
        requireEnabled(tenantId);
        if (validationToken != null) {
            return handshake(tenantId, validationToken);
        }
        NotificationBatch batch = checked(tenantId, "change", body, false);
        Set<String> resources = new LinkedHashSet<>();
        batch.items().forEach(item -> resources.add(item.resource()));
        resources.forEach(resource -> runs.request(tenantId, resource));
        metrics.notifications(tenantId, "change", "accepted", batch.items().size());
        return Response.accepted().build();
    }

    @POST
    @Path("lifecycle")
    public Response lifecycle(@PathParam("tenantId") String tenantId,
                              @QueryParam("validationToken") String validationToken, byte[] body) {
        requireEnabled(tenantId);
        if (validationToken != null) {
            return handshake(tenantId, validationToken);
        }
        NotificationBatch batch = checked(tenantId, "lifecycle", body, true);
        for (NotificationBatch.Item item : batch.items()) {
            LOG.infof("tenant %s: lifecycle event %s for subscription %s", tenantId, item.lifecycleEvent(),
                    item.subscriptionId());
            List<String> affected = subscriptions.bySubscriptionId(tenantId, item.subscriptionId())
                    .map(r -> List.of(r.resource())).orElseGet(() -> tenants.resources(tenantId));
            switch (item.lifecycleEvent()) {
                case "reauthorizationRequired" -> keeper.reauthorizeSoon(tenantId, item.subscriptionId());
                case "subscriptionRemoved" -> {
                    subscriptions.forget(tenantId, item.subscriptionId());
                    keeper.keepSoon(tenantId);
                    affected.forEach(resource -> runs.request(tenantId, resource));
                }
                case "missed" -> affected.forEach(resource -> runs.request(tenantId, resource));
                default -> throw new IllegalStateException("checked before: " + item.lifecycleEvent());
            }
        }
        metrics.notifications(tenantId, "lifecycle", "accepted", batch.items().size());
        return Response.accepted().build();
    }

    /** Graph's validation request: the token back as text/plain, nothing else. */
    private Response handshake(String tenantId, String token) {
        if (token.isEmpty() || token.length() > MAX_VALIDATION_TOKEN) {
            throw ProblemException.badRequest("validationToken", "must have 1 to " + MAX_VALIDATION_TOKEN + " characters");
        }
        metrics.notifications(tenantId, "validation", "accepted", 1);
        return Response.ok(token, MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).build();
    }

    private NotificationBatch checked(String tenantId, String kind, byte[] body, boolean lifecycle) {
        NotificationBatch batch;
        try {
            batch = NotificationBatch.parse(body, lifecycle, config.notifications().maxItems());
        } catch (ProblemException e) {
            metrics.notificationRejected(tenantId, "schema");
            throw e;
        }
        String entraTenant = tenants.entraTenantId(tenantId);
        for (int i = 0; i < batch.items().size(); i++) {
            NotificationBatch.Item item = batch.items().get(i);
            if (!tenants.clientStateMatches(tenantId, item.clientState())) {
                metrics.notificationRejected(tenantId, "clientState");
                LOG.warnf("tenant %s: %s notification with a wrong clientState refused (subscription %s)", tenantId,
                        kind, item.subscriptionId());
                throw new ProblemException(401, "Unauthorized", "the notification's clientState is not this tenant's",
                        List.of(new FieldError("value[" + i + "].clientState", "does not match")));
            }
            if (!item.tenantId().equalsIgnoreCase(entraTenant)) {
                metrics.notificationRejected(tenantId, "tenant");
                throw new ProblemException(403, "Forbidden", "the notification is for another tenant",
                        List.of(new FieldError("value[" + i + "].tenantId", "is not " + entraTenant)));
            }
        }
        return batch;
    }

    private void requireEnabled(String tenantId) {
        if (!tenants.enabled(tenantId)) {
            // Not tagged with the unknown name: anyone can POST here, and each name would be a new time series.
            metrics.notificationRejected("(unknown)", "notEnabled");
            throw ProblemException.notFound("no tenant '" + tenantId + "' with change notifications");
        }
    }
}
