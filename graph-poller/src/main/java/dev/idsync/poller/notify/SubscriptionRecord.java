package dev.idsync.poller.notify;

import java.time.Instant;

/** A tenant's subscription to one resource, as the poller's schema keeps it ({@code graph_subscriptions}). */
public record SubscriptionRecord(String tenantId, String resource, String subscriptionId, Instant expiresAt,
                                 String notificationUrl, Instant createdAt, Instant renewedAt) {
}
