package dev.idsync.events;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Optional;

/**
 * Where an application role assignment comes from: a mapped Entra group, or an administrator.
 *
 * <p>The JSON values are part of the public contract. Adding a value is a breaking change (an older
 * consumer cannot map it), so it needs a new event type or topic version, not an edit here.
 */
public enum AssignmentSource {
    FEDERATED("federated"),
    MANUAL("manual");

    private final String json;

    AssignmentSource(String json) {
        this.json = json;
    }

    /** The value as written in the JSON body. */
    @JsonValue
    public String json() {
        return json;
    }

    /** The constant for a JSON value, or empty when the value is not one of this version's. */
    public static Optional<AssignmentSource> fromJson(String json) {
        for (AssignmentSource value : values()) {
            if (value.json.equals(json)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
