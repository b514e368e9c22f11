package dev.idsync.poller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How the poller runs, independent of any tenant ({@code idsync.poller.*}); tenants come from idsync.yaml. */
@ConfigMapping(prefix = "idsync.poller")
public interface PollerConfig {

    /** Sent as {@code Prefer: odata.maxpagesize}; Graph (and the emulator) may send fewer. */
    @WithDefault("200")
    int pageSize();

    /** A long run logs its progress every this many pages. */
    @WithDefault("50")
    int progressEveryPages();

    /** Timeout of one Graph request. */
    @WithDefault("60s")
    Duration requestTimeout();

    Retry retry();

    Scheduler scheduler();

    /** Extra trust for the token authority's and Graph's TLS (the emulator's self-signed certificate). */
    Optional<TrustStore> trustStore();

    /** How long a shutdown waits for active runs to stop at their next page boundary. */
    @WithDefault("30s")
    Duration shutdownGrace();

    /** graph-access' retry policy for throttled (429) and unavailable (5xx) Graph requests. */
    interface Retry {
        @WithDefault("6")
        int maxAttempts();

        @WithDefault("500ms")
        Duration initialBackoff();

        @WithDefault("30s")
        Duration maxBackoff();

        @WithDefault("120s")
        Duration maxRetryAfter();

        @WithDefault("5m")
        Duration maxTotalWait();
    }

    interface Scheduler {
        /** {@code false}: no scheduled runs at all on this instance (on-demand runs still work). */
        @WithDefault("true")
        boolean enabled();
    }

    interface TrustStore {
        Path path();

        String password();
    }
}
