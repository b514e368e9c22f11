package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * An application role was granted to a user ({@code objectId}). {@code runId} is null for a manual grant, or the request id.
 * Type {@link EventType#ROLE_ASSIGNMENT_GRANTED} on {@link Topics#ROLE_ASSIGNMENTS}.
 */
public record RoleAssignmentGranted(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        RoleAssignment data) implements SyncEvent {

    public RoleAssignmentGranted {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }

    /** The user the event is about: the same as {@link #objectId()}. */
    public String userId() {
        return objectId;
    }
}
