package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A directory role left the directory.
 * Type {@link EventType#DIRECTORY_ROLE_REMOVED} on {@link Topics#DIRECTORY_ROLES}.
 */
public record DirectoryRoleRemoved(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        Removal data) implements SyncEvent {

    public DirectoryRoleRemoved {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }

    /** Shorthand for the common case. */
    public static DirectoryRoleRemoved of(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
            RemovalReason reason) {
        return new DirectoryRoleRemoved(tenantId, objectId, runId, epoch, observedAt, new Removal(reason));
    }
}
