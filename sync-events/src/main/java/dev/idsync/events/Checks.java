package dev.idsync.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Argument checks and defensive copies shared by the event records. */
final class Checks {

    private Checks() {
    }

    /** Fails fast in the producer rather than publishing a body the schema rejects. */
    static void envelope(String tenantId, String objectId, long epoch, Instant observedAt) {
        notBlank(tenantId, "tenantId");
        notBlank(objectId, "objectId");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative: " + epoch);
        }
        Objects.requireNonNull(observedAt, "observedAt");
    }

    static String notBlank(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /**
     * An unmodifiable copy of an open-ended attribute map. Unlike {@link Map#copyOf} it keeps
     * {@code null} values, because a null attribute means "cleared in Entra" and must reach consumers.
     */
    static Map<String, Object> attributes(Map<String, Object> attributes, String name) {
        Objects.requireNonNull(attributes, name);
        return Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** Like {@link #attributes} but treats a missing map as empty. */
    static Map<String, Object> attributesOrEmpty(Map<String, Object> attributes) {
        return attributes == null ? Map.of() : attributes(attributes, "attributes");
    }

    /** Sorted so the body reads the same in every run; counts never hold null. */
    static Map<String, Long> counts(Map<String, Long> counts) {
        if (counts == null) {
            return Map.of();
        }
        counts.forEach((name, count) -> Objects.requireNonNull(count, () -> "count " + name));
        return Collections.unmodifiableMap(new TreeMap<>(counts));
    }

    static List<String> list(List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
