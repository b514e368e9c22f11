package dev.idsync.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * An event whose {@code ce_type} this version of the library does not know.
 *
 * <p>Why it exists: within a topic version producers may add event types (an additive change, DESIGN
 * invariant 9). A consumer built against an older library must neither crash nor stall its partition
 * on such a record, and it must not silently lose it either. So {@code SyncEventDeserializer} returns
 * this record instead of throwing; the consumer decides (idsync's services send it to {@code <topic>.dlq}
 * with reason {@code unknown-type} and go on, so an upgrade can replay it; the audit log stores it verbatim). Because it is part of the sealed {@link SyncEvent} hierarchy, an exhaustive
 * {@code switch} forces every consumer to make that decision explicitly.
 *
 * <p>The envelope fields are read leniently from the body, since every v1 body carries them
 * (CONTRACT.md); any of them is {@code null} (or {@code 0} for {@code epoch}) when absent or malformed.
 * {@link #eventType()} is {@code null}; {@link #ceType()} is the unknown type string.
 *
 * @param id     the CloudEvents {@code id} ({@code ce_id}) as received, so deduplication still works
 * @param type   the unknown CloudEvents {@code type}
 * @param source the CloudEvents {@code source}, nullable
 * @param data   the body's {@code data} as a JSON tree, nullable
 * @param body   the complete body as received (UTF-8 JSON), never null; written back unchanged when
 *               the event is re-published (e.g. to a dead-letter topic)
 */
public record UnrecognizedEvent(String id, String type, String source, String tenantId, String objectId,
        String runId, long epoch, Instant observedAt, JsonNode data, String body) implements SyncEvent {

    public UnrecognizedEvent {
        Objects.requireNonNull(type, "type");
        body = body == null ? "" : body;
    }

    /** Builds the record from a received body; never throws on a malformed or non-JSON body. */
    public static UnrecognizedEvent of(String id, String type, String source, byte[] body) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        JsonNode root = parseLeniently(body);
        return new UnrecognizedEvent(id, type, source,
                text(root, "tenantId"), text(root, "objectId"), text(root, "runId"),
                root.path("epoch").asLong(0), instant(root.path("observedAt")),
                root.hasNonNull("data") ? root.get("data") : null, text);
    }

    @Override
    public String ceType() {
        return type;
    }

    private static JsonNode parseLeniently(byte[] body) {
        if (body == null || body.length == 0) {
            return EventJson.mapper().missingNode();
        }
        try {
            JsonNode root = EventJson.mapper().readTree(body);
            return root == null ? EventJson.mapper().missingNode() : root;
        } catch (IOException notJson) {
            return EventJson.mapper().missingNode();
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.path(field);
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    private static Instant instant(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException malformed) {
            return null;
        }
    }
}
