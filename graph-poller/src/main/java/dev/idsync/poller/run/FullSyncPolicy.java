package dev.idsync.poller.run;

import java.time.Duration;
import java.util.Objects;

/**
 * When a tenant's scheduled full sync is due: its last complete full sync (or, if it never had one, the
 * moment the schedule first saw the tenant) is at least {@code every} old, and no scheduled attempt started
 * within the last {@code retryAfter} (a running one counts, so it is not started twice; a failed one is
 * retried after that wait, not at every check).
 */
public record FullSyncPolicy(Duration every, Duration retryAfter) {

    public FullSyncPolicy {
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the full sync interval must be positive, got " + every);
        }
    }
}
