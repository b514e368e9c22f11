package dev.idsync.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The JSON form of event bodies, shared by producers, consumers and {@link CeIds} so all of them agree
 * byte for byte.
 *
 * <p>Configuration and why:
 * <ul>
 *   <li>{@code JavaTimeModule} without timestamps: {@code observedAt} is an ISO-8601 UTC instant
 *       ({@code 2025-03-01T10:15:30Z}), readable by any consumer and by the JSON Schemas' {@code date-time}.</li>
 *   <li>Unknown properties are ignored: producers may add fields within a topic version, and an older
 *       consumer must keep working.</li>
 *   <li>The six envelope fields are always written ({@code runId} as {@code null} when there is none);
 *       inside typed {@code data} null fields are omitted; open-ended attribute maps keep null values
 *       because a null attribute means "cleared".</li>
 * </ul>
 */
public final class EventJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A body with "epoch": null is malformed; silently reading 0 would look like the first epoch.
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private EventJson() {
    }

    /**
     * The shared mapper, e.g. for converting attribute maps. Treat it as read-only: reconfiguring it
     * would change the bytes every producer in the process writes.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The body bytes (UTF-8 JSON). An {@link UnrecognizedEvent} is written back exactly as received. */
    public static byte[] write(SyncEvent event) {
        Objects.requireNonNull(event, "event");
        if (event instanceof UnrecognizedEvent unrecognized) {
            return unrecognized.body().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + event.ceType() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Binds a body to the record of {@code type}.
     *
     * @throws UncheckedIOException if the body is not valid JSON for that type (missing required field,
     *                              unknown enum value, ...)
     */
    public static SyncEvent read(EventType type, byte[] body) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(body, "body");
        try {
            return MAPPER.readValue(body, type.payloadClass());
        } catch (IOException e) {
            throw new UncheckedIOException("invalid " + type.type() + " body: " + e.getMessage(), e);
        }
    }

    /** The body as a JSON tree (a fresh copy the caller may modify). */
    public static ObjectNode tree(SyncEvent event) {
        if (event instanceof UnrecognizedEvent unrecognized) {
            try {
                JsonNode node = MAPPER.readTree(unrecognized.body());
                return node instanceof ObjectNode object ? object : MAPPER.createObjectNode();
            } catch (IOException notJson) {
                return MAPPER.createObjectNode();
            }
        }
        return MAPPER.valueToTree(event);
    }

    /** The canonical form of an event's body; see {@link #canonical(JsonNode)}. */
    public static String canonical(SyncEvent event) {
        return canonical(tree(event));
    }

    /**
     * Canonical JSON: object keys sorted at every depth, no whitespace, array order kept. Two bodies
     * that differ only in key order (e.g. a map filled in another order) get the same text, which is
     * what {@link CeIds} hashes.
     */
    public static String canonical(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> byName = new TreeMap<>();
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                byName.put(property.getKey(), sorted(property.getValue()));
            }
            ObjectNode out = MAPPER.createObjectNode();
            byName.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }
}
