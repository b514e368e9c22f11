package dev.idsync.emulator.directory;

import java.time.Duration;

/**
 * Behaviour switches of one tenant.
 *
 * @param deltaTokenTtl          how long delta and skip tokens stay valid (Graph: 7 days for identity resources)
 * @param expiredTokenResponse   which of Graph's two forms an expired token gets
 * @param emptyPageEvery         when &gt; 0, every n-th page of a round is served empty but with a nextLink,
 *                               as Graph sometimes does; clients must keep following
 */
public record TenantSettings(Duration deltaTokenTtl, ExpiredTokenResponse expiredTokenResponse, int emptyPageEvery) {

    public static final Duration GRAPH_DELTA_TOKEN_TTL = Duration.ofDays(7);

    public TenantSettings {
        if (deltaTokenTtl == null) {
            deltaTokenTtl = GRAPH_DELTA_TOKEN_TTL;
        }
        if (expiredTokenResponse == null) {
            expiredTokenResponse = ExpiredTokenResponse.SYNC_STATE_NOT_FOUND;
        }
        if (emptyPageEvery < 0) {
            throw new IllegalArgumentException("emptyPageEvery must be >= 0");
        }
    }

    public static TenantSettings defaults() {
        return new TenantSettings(GRAPH_DELTA_TOKEN_TTL, ExpiredTokenResponse.SYNC_STATE_NOT_FOUND, 0);
    }
}
