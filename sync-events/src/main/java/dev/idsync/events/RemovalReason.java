package dev.idsync.events;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Optional;

/**
 * Why an object left the directory (the {@code reason} of a {@link Removal}).
 *
 * <p>The JSON values are part of the public contract. Adding a value is a breaking change (an older
 * consumer cannot map it), so it needs a new event type or topic version, not an edit here: the
 * {@code *.removed.v2} types added {@link #NOT_SEEN_IN_FULL_SYNC}.
 */
public enum RemovalReason {
    SOFT_DELETED("softDeleted"),
    HARD_DELETED("hardDeleted"),
    OUT_OF_SCOPE("outOfScope"),
    /**
     * Decided by delta-processor, never said by Graph: a run that read the resource completely (a full
     * sync, or a resync after an expired delta token) did not see the object, so it is taken as deleted.
     * Restorable like a soft deletion.
     */
    NOT_SEEN_IN_FULL_SYNC("notSeenInFullSync");

    private final String json;

    RemovalReason(String json) {
        this.json = json;
    }

    /** The value as written in the JSON body. */
    @JsonValue
    public String json() {
        return json;
    }

    /** The constant for a JSON value, or empty when the value is not one of this version's. */
    public static Optional<RemovalReason> fromJson(String json) {
        for (RemovalReason value : values()) {
            if (value.json.equals(json)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
