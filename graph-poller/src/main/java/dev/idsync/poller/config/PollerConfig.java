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

    Producer producer();

    /**
     * How many pages of a round may be published but not yet acknowledged: the round sends the next page's
     * events while Kafka acknowledges the earlier ones, and checkpoints each page (in order) once it is
     * acknowledged. Bounds the memory a round holds; a crash repeats at most these pages.
     */
    @WithDefault("4")
    int pagesInFlight();

    /**
     * Whether a run whose resources all start with an initial round (a full run, a dry run, a tenant's first
     * sync) reads them in parallel, each round on its own thread. Delta runs with tokens read them one after
     * the other (users, groups, directoryRoles), which keeps "one run, one epoch" exact for them.
     */
    @WithDefault("true")
    boolean parallelInitialRounds();

    Scheduler scheduler();

    FullSync fullSync();

    Notifications notifications();

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

    /** The observation producer (acks=all and idempotence are fixed). */
    interface Producer {
        @WithDefault("10ms")
        Duration linger();

        @WithDefault("524288")
        int batchSize();

        /**
         * {@code none}, {@code gzip}, {@code snappy}, {@code lz4} or {@code zstd} (kafka-clients ships all).
         * {@code none} by default: measured at 100k with broker and poller on the same two cores, lz4 cost the
         * sending thread more than it saved (README, Scale); with a broker across a network, lz4 pays.
         */
        @WithDefault("none")
        String compression();

        @WithDefault("33554432")
        long bufferMemory();
    }

    interface Scheduler {
        /** {@code false}: no scheduled runs at all on this instance (on-demand runs still work). */
        @WithDefault("true")
        boolean enabled();
    }

    /**
     * The scheduled full sync (graph-poller README, "Scheduled full sync"); a tenant's
     * {@code schedule.full-sync} in idsync.yaml overrides {@link #every()} and can switch it off for itself.
     */
    interface FullSync {
        /** {@code false}: no scheduled full sync of any tenant on this instance. */
        @WithDefault("true")
        boolean enabled();

        /** How old a tenant's last complete full sync may get before the next is due. */
        @WithDefault("7d")
        Duration every();

        /** How often this instance asks whether a tenant's full sync is due (also after each run ends). */
        @WithDefault("1m")
        Duration checkEvery();

        /** After a scheduled full run that did not complete (failed, interrupted), the next attempt waits this long. */
        @WithDefault("1h")
        Duration retryAfter();
    }

    /**
     * Graph change notifications (graph-poller README, "Change notifications"); which tenants subscribe is in
     * idsync.yaml ({@code notifications.enabled}).
     */
    interface Notifications {
        /** {@code false}: this instance neither subscribes nor renews (its endpoint still answers). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Notifications for one tenant and resource within this window make one delta run: a burst of 1,000 is
         * one or two runs. Short, because it adds to every change's latency (README, measured).
         */
        @WithDefault("200ms")
        Duration debounce();

        /** How often a requested run that found its resource busy asks again (also across instances). */
        @WithDefault("250ms")
        Duration busyRetry();

        /** How often this instance checks the tenants' subscriptions (create, verify, renew). */
        @WithDefault("1m")
        Duration checkEvery();

        /** The most notifications one POST may carry; a larger batch is refused (400 naming {@code value}). */
        @WithDefault("1000")
        int maxItems();
    }

    interface TrustStore {
        Path path();

        String password();
    }
}
