package dev.idsync.events;

import java.time.Instant;
import java.util.Map;

/**
 * A user was created or changed in Entra ID.
 * Type {@link EventType#USER_UPSERTED}: as an observation on {@link Topics#GRAPH_OBSERVATIONS}, as a
 * decision on {@link Topics#USERS}.
 *
 * <p>As an observation, {@code data} holds exactly the attributes Graph sent, under Graph's names: a
 * {@code null} value means the attribute is empty in Entra; an absent key means Graph did not send it
 * (not selected, or not changed: Graph may answer an update with only the changed properties). On the
 * directory topic, {@code data} is the full object as delta-processor stores it (after merge and field
 * mapping).
 */
public record UserUpserted(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        Map<String, Object> data) implements SyncEvent {

    public UserUpserted {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        data = Checks.attributes(data, "data");
    }
}
