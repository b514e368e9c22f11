package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A profile update was confirmed by Graph for the user {@code objectId}. {@code runId} is null or the request id.
 * Type {@link EventType#PROFILE_UPDATED} on {@link Topics#PROFILE_CHANGES}.
 */
public record ProfileUpdated(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        ProfileUpdate data) implements SyncEvent {

    public ProfileUpdated {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }

    /** The user the event is about: the same as {@link #objectId()}. */
    public String userId() {
        return objectId;
    }
}
