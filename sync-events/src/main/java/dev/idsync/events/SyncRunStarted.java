package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A sync run started. {@code objectId} and {@code runId} are both the run id.
 * Type {@link EventType#SYNC_RUN_STARTED} on {@link Topics#SYNC_RUNS}.
 */
public record SyncRunStarted(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        SyncRun data) implements SyncEvent {

    public SyncRunStarted {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }
}
