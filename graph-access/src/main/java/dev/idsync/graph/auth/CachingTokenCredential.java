package dev.idsync.graph.auth;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Caches access tokens per scope set until shortly before they expire. azure-identity relies on MSAL's
 * cache, which misses when the authority host has a port (as the emulator's has), so without this every
 * Graph request would fetch a new token. Concurrent callers of an expired entry share one refresh.
 */
public final class CachingTokenCredential implements TokenCredential {

    /** Refresh this long before expiry so a token never expires in flight. */
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);

    private final TokenCredential delegate;
    private final Clock clock;
    private final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Object> refreshLocks = new ConcurrentHashMap<>();

    public CachingTokenCredential(TokenCredential delegate) {
        this(delegate, Clock.systemUTC());
    }

    CachingTokenCredential(TokenCredential delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        AccessToken cached = tokens.get(key(request));
        if (cached != null && fresh(cached)) {
            return Mono.just(cached);
        }
        // A refresh is a blocking HTTP call in azure-identity's sync path; keep it off the caller's thread.
        return Mono.fromCallable(() -> getTokenSync(request)).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
        String key = key(request);
        AccessToken cached = tokens.get(key);
        if (cached != null && fresh(cached)) {
            return cached;
        }
        synchronized (refreshLocks.computeIfAbsent(key, k -> new Object())) {
            cached = tokens.get(key);
            if (cached != null && fresh(cached)) {
                return cached;
            }
            AccessToken token = delegate.getTokenSync(request);
            tokens.put(key, token);
            return token;
        }
    }

    /** Drops cached tokens, e.g. after Graph answered 401 to one of them. */
    public void invalidate() {
        tokens.clear();
    }

    private boolean fresh(AccessToken token) {
        return token.getExpiresAt().isAfter(OffsetDateTime.now(clock).plus(REFRESH_MARGIN));
    }

    private static String key(TokenRequestContext request) {
        return String.join(" ", new TreeSet<>(request.getScopes())) + "|" + request.getTenantId() + "|"
                + request.getClaims() + "|" + request.isCaeEnabled();
    }
}
