package dev.idsync.emulator.subscriptions;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One change-notification subscription as Graph keeps it. The expiration is the only mutable field (PATCH),
 * and is read by the dispatcher on other threads.
 */
public final class Subscription {

    private final String id;
    private final String tenantId;
    private final String applicationId;
    private final String resource;
    private final Set<String> changeTypes;
    private final String notificationUrl;
    private final String lifecycleNotificationUrl;
    private final String clientState;
    private volatile Instant expiration;

    Subscription(String id, String tenantId, String applicationId, String resource, Set<String> changeTypes,
                 String notificationUrl, String lifecycleNotificationUrl, String clientState, Instant expiration) {
        this.id = id;
        this.tenantId = tenantId;
        this.applicationId = applicationId;
        this.resource = resource;
        this.changeTypes = Set.copyOf(changeTypes);
        this.notificationUrl = notificationUrl;
        this.lifecycleNotificationUrl = lifecycleNotificationUrl;
        this.clientState = clientState;
        this.expiration = expiration;
    }

    public String id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public String applicationId() {
        return applicationId;
    }

    /** {@code users} or {@code groups}. */
    public String resource() {
        return resource;
    }

    public Set<String> changeTypes() {
        return changeTypes;
    }

    public String notificationUrl() {
        return notificationUrl;
    }

    public String lifecycleNotificationUrl() {
        return lifecycleNotificationUrl;
    }

    public String clientState() {
        return clientState;
    }

    public Instant expiration() {
        return expiration;
    }

    void expiration(Instant expiration) {
        this.expiration = expiration;
    }

    /** Graph's representation (clientState included: Graph returns it to the app that created it). */
    public Map<String, Object> json() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity");
        body.put("id", id);
        body.put("resource", resource);
        body.put("applicationId", applicationId);
        body.put("changeType", String.join(",", changeTypes.stream().sorted().toList()));
        body.put("clientState", clientState);
        body.put("notificationUrl", notificationUrl);
        body.put("lifecycleNotificationUrl", lifecycleNotificationUrl);
        body.put("expirationDateTime", expiration.toString());
        body.put("creatorId", applicationId);
        body.put("includeResourceData", false);
        body.put("latestSupportedTlsVersion", "v1_2");
        body.put("notificationUrlAppId", null);
        return body;
    }
}
