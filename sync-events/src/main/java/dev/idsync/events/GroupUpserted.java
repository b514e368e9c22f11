package dev.idsync.events;

import java.time.Instant;
import java.util.Map;

/**
 * A group was created or changed in Entra ID.
 * Type {@link EventType#GROUP_UPSERTED} on {@link Topics#GROUPS}.
 *
 * <p>{@code data} holds the object's attributes after field mapping. A {@code null} value means the
 * attribute was cleared in Entra; an absent key means it was not selected or not changed.
 */
public record GroupUpserted(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        Map<String, Object> data) implements SyncEvent {

    public GroupUpserted {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        data = Checks.attributes(data, "data");
    }
}
