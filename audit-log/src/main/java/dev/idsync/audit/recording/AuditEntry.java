package dev.idsync.audit.recording;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.events.kafka.CloudEventHeaders;
import dev.idsync.kafka.EventTriage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One event as taken from a Kafka record, before it has a place in its tenant's chain: the CloudEvents
 * headers say what it is, the body (kept byte for byte) says whom it concerns and who acted: {@code
 * data.actor} of profile events, or {@code data.decidedBy}, the administrator who approved or rejected held
 * deletions ({@code deletions.decided}) or approved the removal a directory topic carries
 * ({@code *.removed.v2}). The body is read as JSON, not bound to an event record, so a type this version does
 * not know is recorded just the same. A record that is not a valid idsync CloudEvent is still recorded,
 * under a synthetic id naming its topic, partition and offset, so nothing on a topic escapes the audit.
 * Times are cut to microseconds, PostgreSQL's precision, so the hash computed here is the one a later
 * verification recomputes from the stored row.
 */
public record AuditEntry(String ceId, String ceType, String ceSource, String topic, String tenantId,
        String objectId, String actor, String runId, Instant occurredAt, byte[] payload, Instant publishedAt) {

    public static final String UNREADABLE_TYPE = "dev.idsync.audit.unreadable";

    public AuditEntry {
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
    }

    static AuditEntry from(ConsumerRecord<String, byte[]> record) {
        String position = record.topic() + "/" + record.partition() + "/" + record.offset();
        byte[] payload = record.value() == null ? new byte[0] : record.value();
        Instant publishedAt = Instant.ofEpochMilli(record.timestamp());
        JsonNode body = EventTriage.jsonObject(payload); // null: empty, not JSON, or no object
        String ceId = CloudEventHeaders.id(record.headers()).orElse(null);
        String ceType = CloudEventHeaders.type(record.headers()).orElse(null);
        if (body == null || ceId == null || ceType == null) {
            return new AuditEntry("unreadable:" + position, UNREADABLE_TYPE, "urn:idsync:audit-log", record.topic(),
                    text(body, "tenantId", "unknown"),
                    text(body, "objectId", record.key() == null ? "unknown" : record.key()),
                    null, null, publishedAt, payload, publishedAt);
        }
        return new AuditEntry(ceId, ceType, CloudEventHeaders.source(record.headers()).orElse("unknown"),
                record.topic(), text(body, "tenantId", "unknown"), text(body, "objectId", "unknown"),
                actor(body.path("data")), text(body, "runId", null),
                CloudEventHeaders.time(record.headers()).orElse(observedAt(body, publishedAt)), payload, publishedAt);
    }

    /** Who acted: a profile change's requester, else the administrator behind a deletion decision. */
    private static String actor(JsonNode data) {
        return text(data, "actor", text(data, "decidedBy", null));
    }

    private static String text(JsonNode body, String field, String fallback) {
        if (body == null) {
            return fallback;
        }
        JsonNode node = body.path(field);
        return node.isValueNode() && !node.isNull() ? node.asText() : fallback;
    }

    private static Instant observedAt(JsonNode body, Instant publishedAt) {
        String text = text(body, "observedAt", null);
        if (text != null) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException ignored) {
                // fall through to the broker's timestamp
            }
        }
        return publishedAt;
    }
}
