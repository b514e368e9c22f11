package dev.idsync.events;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Optional;

/**
 * What kind of directory object a member is (Graph's {@code @odata.type} without the namespace).
 *
 * <p>The JSON values are part of the public contract. Adding a value is a breaking change (an older
 * consumer cannot map it), so it needs a new event type or topic version, not an edit here.
 */
public enum MemberType {
    USER("user"),
    GROUP("group"),
    SERVICE_PRINCIPAL("servicePrincipal"),
    DEVICE("device"),
    ORG_CONTACT("orgContact");

    private final String json;

    MemberType(String json) {
        this.json = json;
    }

    /** The value as written in the JSON body. */
    @JsonValue
    public String json() {
        return json;
    }

    /** The constant for a JSON value, or empty when the value is not one of this version's. */
    public static Optional<MemberType> fromJson(String json) {
        for (MemberType value : values()) {
            if (value.json.equals(json)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static final String ODATA_PREFIX = "#microsoft.graph.";

    /** Maps Graph's {@code @odata.type} (e.g. {@code #microsoft.graph.user}) to a member type. */
    public static Optional<MemberType> fromODataType(String odataType) {
        if (odataType == null || !odataType.startsWith(ODATA_PREFIX)) {
            return Optional.empty();
        }
        return fromJson(odataType.substring(ODATA_PREFIX.length()));
    }
}
