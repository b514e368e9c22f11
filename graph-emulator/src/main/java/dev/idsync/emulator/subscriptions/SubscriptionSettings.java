package dev.idsync.emulator.subscriptions;

import java.time.Duration;

/**
 * How the emulator treats one tenant's subscriptions (control API {@code PUT
 * /_emulator/tenants/{t}/subscription-settings}; absent fields keep their value).
 *
 * @param maxLifetime          the furthest {@code expirationDateTime} may lie ahead: Graph's 41,760 minutes for
 *                             users and groups; shorter in tests of renewal
 * @param notificationDelay    how long after a change its notification goes out (Graph: usually seconds)
 * @param maxDeliveryAttempts  attempts per notification batch before it is dropped (and a {@code missed}
 *                             lifecycle event sent); Graph retries for up to 4 hours
 * @param initialRetryBackoff  the wait before the first retry; doubled each attempt (Graph's exponential backoff)
 * @param maxRetryBackoff      the longest wait between two attempts
 * @param allowHttp            Graph accepts only HTTPS notification URLs; the emulator also plain HTTP (default)
 */
public record SubscriptionSettings(Duration maxLifetime, Duration notificationDelay, int maxDeliveryAttempts,
                                   Duration initialRetryBackoff, Duration maxRetryBackoff, boolean allowHttp) {

    /** Graph's maximum subscription length for users and groups (Graph docs, "subscription resource type"). */
    public static final Duration GRAPH_MAX_LIFETIME = Duration.ofMinutes(41_760);

    public SubscriptionSettings {
        if (maxLifetime == null || maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("maxLifetime must be positive");
        }
        if (notificationDelay == null || notificationDelay.isNegative()) {
            throw new IllegalArgumentException("notificationDelay must be >= 0");
        }
        if (maxDeliveryAttempts < 1) {
            throw new IllegalArgumentException("maxDeliveryAttempts must be >= 1");
        }
        if (initialRetryBackoff == null || initialRetryBackoff.isNegative()
                || maxRetryBackoff == null || maxRetryBackoff.isNegative()) {
            throw new IllegalArgumentException("retry backoffs must be >= 0");
        }
    }

    public static SubscriptionSettings defaults() {
        return new SubscriptionSettings(GRAPH_MAX_LIFETIME, Duration.ZERO, 8, Duration.ofSeconds(1),
                Duration.ofMinutes(5), true);
    }

    /** The wait before attempt {@code attempt + 1} (attempt counts from 1). */
    Duration backoffAfter(int attempt) {
        long millis = initialRetryBackoff.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxRetryBackoff.toMillis()));
    }
}
