package dev.idsync.poller.api;

import dev.idsync.api.ProblemException;
import dev.idsync.api.Roles;
import dev.idsync.poller.graph.PollerTenants;
import dev.idsync.poller.notify.SubscriptionRecord;
import dev.idsync.poller.notify.SubscriptionStore;
import dev.idsync.poller.notify.TenantNotifications;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The tenant's Graph change-notification subscriptions, as the poller keeps them. */
@Path("/api/tenants/{tenantId}/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionResource {

    /** {@code enabled}: the tenant's switch in idsync.yaml; {@code subscriptions}: one per resource once created. */
    public record SubscriptionsView(String tenantId, boolean enabled, String notificationUrl,
                                    List<SubscriptionRecord> subscriptions) {
    }

    private final PollerTenants tenants;
    private final TenantNotifications notifications;
    private final SubscriptionStore store;

    SubscriptionResource(PollerTenants tenants, TenantNotifications notifications, SubscriptionStore store) {
        this.tenants = tenants;
        this.notifications = notifications;
        this.store = store;
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    public SubscriptionsView list(@PathParam("tenantId") String tenantId) {
        tenants.find(tenantId).orElseThrow(() -> ProblemException.notFound("no tenant '" + tenantId + "' in idsync.yaml"));
        boolean enabled = notifications.enabled(tenantId);
        return new SubscriptionsView(tenantId, enabled, enabled ? notifications.notificationUrl(tenantId) : null,
                store.of(tenantId));
    }
}
