package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A group left the directory: deleted, or no longer in scope.
 * Type {@link EventType#GROUP_REMOVED} on {@link Topics#GROUPS}.
 */
public record GroupRemoved(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        Removal data) implements SyncEvent {

    public GroupRemoved {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }

    /** Shorthand for the common case. */
    public static GroupRemoved of(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
            RemovalReason reason) {
        return new GroupRemoved(tenantId, objectId, runId, epoch, observedAt, new Removal(reason));
    }
}
