package dev.idsync.audit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.idsync.audit.chain.ChainHash;
import dev.idsync.audit.chain.StoredEvent;
import dev.idsync.audit.recording.AuditEntry;
import dev.idsync.events.EventJson;
import dev.idsync.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * An audit row as the API shows it. {@code payload} is the event's body exactly as published (JSON);
 * a record that was not a readable CloudEvent has its bytes in {@code payloadBase64} instead.
 * {@code layer} is the topic's layer (docs/CONTRACT.md): {@value #INTERNAL} for what Graph said (the
 * observations and dry-run topics), {@value #PUBLIC} for what idsync published to everyone (the directory
 * topics with what it decided, runs and deletion decisions, role assignments, profile changes).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEventView(long seq, String ceId, String type, String source, String topic, String layer,
        String tenantId, String objectId, String actor, String runId, Instant occurredAt, Instant recordedAt,
        String hash, @JsonRawValue String payload, String payloadBase64) {

    public static final String INTERNAL = "internal";
    public static final String PUBLIC = "public";

    /** The layer of a topic: only the two internal topics are internal; every other idsync topic is public. */
    static String layerOf(String topic) {
        return Topics.GRAPH_OBSERVATIONS.equals(topic) || Topics.DRY_RUN.equals(topic) ? INTERNAL : PUBLIC;
    }

    /**
     * The payload is embedded raw; a producer's pretty-printed JSON would split an NDJSON line, so such a
     * payload is shown re-serialized without whitespace (the stored bytes, and their hash, stay as they are).
     */
    private static String oneLine(String json) {
        if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) {
            return json;
        }
        try {
            return EventJson.mapper().readTree(json).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("recorded as readable JSON, now unreadable", e);
        }
    }

    static AuditEventView of(StoredEvent row) {
        boolean readable = !AuditEntry.UNREADABLE_TYPE.equals(row.ceType());
        return new AuditEventView(row.seq(), row.ceId(), row.ceType(), row.ceSource(), row.topic(),
                layerOf(row.topic()), row.tenantId(),
                row.objectId(), row.actor(), row.runId(), row.occurredAt(), row.recordedAt(), ChainHash.hex(row.hash()),
                readable ? oneLine(new String(row.payload(), StandardCharsets.UTF_8)) : null,
                readable ? null : Base64.getEncoder().encodeToString(row.payload()));
    }
}
