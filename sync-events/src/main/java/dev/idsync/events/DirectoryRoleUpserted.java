package dev.idsync.events;

import java.time.Instant;
import java.util.Map;

/**
 * An activated Entra directory role was created or changed.
 * Type {@link EventType#DIRECTORY_ROLE_UPSERTED} on {@link Topics#DIRECTORY_ROLES}.
 *
 * <p>{@code data} holds the object's attributes after field mapping. A {@code null} value means the
 * attribute was cleared in Entra; an absent key means it was not selected or not changed.
 */
public record DirectoryRoleUpserted(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        Map<String, Object> data) implements SyncEvent {

    public DirectoryRoleUpserted {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        data = Checks.attributes(data, "data");
    }
}
