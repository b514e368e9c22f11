package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A sync run finished and its checkpoint is stored. {@code objectId} and {@code runId} are both the run id.
 * Type {@link EventType#SYNC_RUN_COMPLETED} on {@link Topics#SYNC_RUNS}.
 */
public record SyncRunCompleted(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        SyncRun data) implements SyncEvent {

    public SyncRunCompleted {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }
}
