package dev.idsync.events;

import java.io.InputStream;
import java.util.Objects;

/**
 * Where the JSON Schemas (draft 2020-12) of the event bodies live: one classpath resource per event
 * type, {@code schemas/<type>.json}. They are the reference for consumers outside idsync (DESIGN
 * invariant 9) and describe exactly what this library writes.
 */
public final class EventSchemas {

    /** The classpath folder holding the schemas. */
    public static final String DIRECTORY = "schemas/";

    private EventSchemas() {
    }

    /**
     * The classpath resource path of a type's schema, e.g. {@code schemas/dev.idsync.user.upserted.v1.json},
     * for {@link ClassLoader#getResource(String)} (no leading slash).
     */
    public static String resourcePath(EventType type) {
        return DIRECTORY + Objects.requireNonNull(type, "type").type() + ".json";
    }

    /** Opens a type's schema; the caller closes the stream. */
    public static InputStream open(EventType type) {
        InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resourcePath(type));
        if (in == null) {
            throw new IllegalStateException("schema resource missing: " + resourcePath(type));
        }
        return in;
    }
}
