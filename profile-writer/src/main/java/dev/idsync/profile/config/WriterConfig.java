package dev.idsync.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** profile-writer's own settings ({@code idsync.profile-writer.*}); the tenants come from idsync.yaml. */
@ConfigMapping(prefix = "idsync.profile-writer")
public interface WriterConfig {

    /** Extra trust for the token authority's and Graph's TLS (the emulator's self-signed certificate). */
    Optional<TrustStore> trustStore();

    /** Timeout of one Graph request. */
    @WithDefault("30s")
    Duration requestTimeout();

    Retry retry();

    /**
     * How long an update waits for the user's lock before answering 503: updates of one user queue, but a
     * client must not wait behind a stuck Graph call forever.
     */
    @WithDefault("60s")
    Duration lockTimeout();

    interface TrustStore {
        Path path();

        @WithDefault("changeit")
        String password();
    }

    /** Retries of throttled/unavailable Graph calls: graph-access' {@code RetryPolicy}. */
    interface Retry {
        @WithDefault("4")
        int maxAttempts();

        @WithDefault("500ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /** A longer Retry-After is not waited out in-line: the client gets 503 with that Retry-After. */
        @WithDefault("10s")
        Duration maxRetryAfter();

        /** All waits of one Graph call together; the HTTP client is waiting meanwhile. */
        @WithDefault("20s")
        Duration maxTotalWait();
    }
}
