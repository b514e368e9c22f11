package dev.idsync.graph.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class CachingTokenCredentialTest {

    private static final TokenRequestContext GRAPH = new TokenRequestContext().addScopes("https://graph.example/.default");

    /** Issues tokens valid for one hour from "now" of a movable clock, counting calls. */
    private static final class CountingCredential implements TokenCredential {
        final AtomicInteger calls = new AtomicInteger();
        final MutableClock clock;

        CountingCredential(MutableClock clock) {
            this.clock = clock;
        }

        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.fromCallable(() -> getTokenSync(request));
        }

        @Override
        public AccessToken getTokenSync(TokenRequestContext request) {
            int n = calls.incrementAndGet();
            return new AccessToken("token-" + n, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).plusHours(1));
        }
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aTokenIsReusedUntilShortlyBeforeItExpires() {
        MutableClock clock = new MutableClock();
        CountingCredential delegate = new CountingCredential(clock);
        CachingTokenCredential cache = new CachingTokenCredential(delegate, clock);

        String first = cache.getTokenSync(GRAPH).getToken();
        clock.now = clock.now.plus(Duration.ofMinutes(50));
        String stillCached = cache.getToken(GRAPH).block().getToken();
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        String refreshed = cache.getTokenSync(GRAPH).getToken();

        assertThat(first).isEqualTo("token-1").isEqualTo(stillCached);
        assertThat(refreshed).isEqualTo("token-2");
        assertThat(delegate.calls).hasValue(2);
    }

    @Test
    void invalidateForcesANewToken() {
        MutableClock clock = new MutableClock();
        CountingCredential delegate = new CountingCredential(clock);
        CachingTokenCredential cache = new CachingTokenCredential(delegate, clock);

        cache.getTokenSync(GRAPH);
        cache.invalidate();

        assertThat(cache.getTokenSync(GRAPH).getToken()).isEqualTo("token-2");
    }

    @Test
    void differentScopesHaveTheirOwnTokens() {
        MutableClock clock = new MutableClock();
        CachingTokenCredential cache = new CachingTokenCredential(new CountingCredential(clock), clock);

        String graph = cache.getTokenSync(GRAPH).getToken();
        String other = cache.getTokenSync(new TokenRequestContext().addScopes("api://other/.default")).getToken();

        assertThat(graph).isNotEqualTo(other);
    }
}
