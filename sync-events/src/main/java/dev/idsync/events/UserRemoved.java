package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A user left the directory: deleted, or no longer in the tenant's sync scope.
 * Type {@link EventType#USER_REMOVED} on {@link Topics#USERS}.
 */
public record UserRemoved(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        Removal data) implements SyncEvent {

    public UserRemoved {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }

    /** Shorthand for the common case. */
    public static UserRemoved of(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
            RemovalReason reason) {
        return new UserRemoved(tenantId, objectId, runId, epoch, observedAt, new Removal(reason));
    }
}
