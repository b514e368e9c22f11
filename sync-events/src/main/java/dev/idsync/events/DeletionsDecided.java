package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * The accidental-delete gate decided about a run's deletions ({@code objectId} and {@code runId}: the run).
 * Type {@link EventType#DELETIONS_DECIDED} on {@link Topics#SYNC_RUNS}, published by delta-processor
 * in step with its store; {@code observedAt} is when the decision was made.
 */
public record DeletionsDecided(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        DeletionDecision data) implements SyncEvent {

    public DeletionsDecided {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }
}
