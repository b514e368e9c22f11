package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A sync run failed; {@code data.reason} says why. {@code objectId} and {@code runId} are both the run id.
 * Type {@link EventType#SYNC_RUN_FAILED} on {@link Topics#SYNC_RUNS}.
 */
public record SyncRunFailed(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        SyncRun data) implements SyncEvent {

    public SyncRunFailed {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }
}
