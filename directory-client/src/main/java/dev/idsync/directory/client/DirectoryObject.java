package dev.idsync.directory.client;

import dev.idsync.events.Removal;
import dev.idsync.events.RemovalReason;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A user, group or directory role as its key's last record on the directory topics describes it.
 *
 * @param tenantId   the Entra tenant
 * @param id         the Entra object id
 * @param attributes while active, the full object as idsync stores it (local attribute names; a {@code null}
 *                   value means the attribute is empty); once removed, empty: a removal record carries no
 *                   attributes, and the replica is each key's last record only, so a subscriber that starts
 *                   after compaction sees exactly the same
 * @param removal    why the object left the directory (and who approved it, when an administrator did);
 *                   {@code null} while active
 * @param observedAt when Graph said so (the event's {@code observedAt})
 * @param epoch      the full-sync generation of the event
 * @param runId      the sync run behind the event, nullable
 */
public record DirectoryObject(String tenantId, String id, ObjectKind kind, Map<String, Object> attributes,
        Removal removal, Instant observedAt, long epoch, String runId) {

    public DirectoryObject {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        // Map.copyOf refuses null values, and null is a value here ("empty in Entra").
        attributes = attributes == null || removal != null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public ObjectState state() {
        return removal == null ? ObjectState.ACTIVE : ObjectState.REMOVED;
    }

    public boolean isActive() {
        return removal == null;
    }

    /** Why the object left the directory; empty while it is active. */
    public Optional<RemovalReason> removalReason() {
        return Optional.ofNullable(removal).map(Removal::reason);
    }

    /** The administrator who approved a held deletion; empty when active or when the gate let it through by itself. */
    public Optional<String> decidedBy() {
        return Optional.ofNullable(removal).map(Removal::decidedBy);
    }

    /** One attribute's value; empty when absent or {@code null} (use {@link #attributes()} to tell the two apart). */
    public Optional<Object> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }
}
