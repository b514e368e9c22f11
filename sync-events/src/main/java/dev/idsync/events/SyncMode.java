package dev.idsync.events;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Optional;

/**
 * How a sync run reads Graph: incremental delta, a full resync (new epoch), or a dry run that
 * publishes only to {@link Topics#DRY_RUN}.
 *
 * <p>The JSON values are part of the public contract. Adding a value is a breaking change (an older
 * consumer cannot map it), so it needs a new event type or topic version, not an edit here.
 */
public enum SyncMode {
    DELTA("delta"),
    FULL("full"),
    DRY_RUN("dryRun");

    private final String json;

    SyncMode(String json) {
        this.json = json;
    }

    /** The value as written in the JSON body. */
    @JsonValue
    public String json() {
        return json;
    }

    /** The constant for a JSON value, or empty when the value is not one of this version's. */
    public static Optional<SyncMode> fromJson(String json) {
        for (SyncMode value : values()) {
            if (value.json.equals(json)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
