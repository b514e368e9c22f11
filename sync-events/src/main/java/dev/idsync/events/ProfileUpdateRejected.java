package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A profile update for the user {@code objectId} was refused, locally or by Graph. {@code runId} is null or the request id.
 * Type {@link EventType#PROFILE_UPDATE_REJECTED} on {@link Topics#PROFILE_CHANGES}.
 */
public record ProfileUpdateRejected(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        ProfileRejection data) implements SyncEvent {

    public ProfileUpdateRejected {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }

    /** The user the event is about: the same as {@link #objectId()}. */
    public String userId() {
        return objectId;
    }
}
