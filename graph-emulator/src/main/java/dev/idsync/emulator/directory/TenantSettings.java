package dev.idsync.emulator.directory;

import java.time.Duration;

/**
 * Behaviour switches of one tenant.
 *
 * @param deltaTokenTtl          how long delta and skip tokens stay valid (Graph: 7 days for identity resources)
 * @param expiredTokenResponse   which of Graph's two forms an expired token gets
 * @param emptyPageEvery         when &gt; 0, every n-th page of a round is served empty but with a nextLink,
 *                               as Graph sometimes does; clients must keep following
 * @param minimalUpdateShare     0..1: the share of updated objects a follow-up round answers with only their
 *                               changed properties although the client did not ask {@code Prefer: return=minimal}
 *                               (Graph promises "at least the updated properties", so a client must not read an
 *                               absent property as empty); 0 (default) answers every update in full
 * @param minimalUpdateSeed      picks which updates get the minimal form, deterministically: the same seed, object
 *                               and round always give the same answer, so a page fetched again is identical
 */
public record TenantSettings(Duration deltaTokenTtl, ExpiredTokenResponse expiredTokenResponse, int emptyPageEvery,
                             double minimalUpdateShare, long minimalUpdateSeed) {

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
        if (!(minimalUpdateShare >= 0 && minimalUpdateShare <= 1)) {
            throw new IllegalArgumentException("minimalUpdateShare must be between 0 and 1");
        }
    }

    public static TenantSettings defaults() {
        return new TenantSettings(GRAPH_DELTA_TOKEN_TTL, ExpiredTokenResponse.SYNC_STATE_NOT_FOUND, 0, 0, 0);
    }

    /**
     * Whether the update of {@code objectId} in the follow-up round ending at sequence {@code roundEnd} is
     * answered with only its changed properties although the client asked for the full representation.
     */
    public boolean answersUpdateMinimal(String objectId, long roundEnd) {
        if (minimalUpdateShare <= 0) {
            return false;
        }
        if (minimalUpdateShare >= 1) {
            return true;
        }
        long h = mix(minimalUpdateSeed ^ mix(fnv1a(objectId) ^ mix(roundEnd)));
        double uniform = (h >>> 11) * 0x1.0p-53;
        return uniform < minimalUpdateShare;
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser: spreads every input bit over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
