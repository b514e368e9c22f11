package dev.idsync.audit.recording;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.events.EventJson;
import dev.idsync.events.kafka.CloudEventHeaders;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * One audit row, taken from a Kafka record as published: the CloudEvents headers say what it is, the
 * body (kept verbatim) says whom it concerns. A record that is not a valid idsync CloudEvent is still
 * recorded, under a synthetic id naming its topic, partition and offset, so nothing on a topic escapes
 * the audit.
 */
public record AuditEntry(String ceId, String ceType, String ceSource, String topic, String tenantId,
        String objectId, String runId, Instant occurredAt, String payload) {

    static final String UNREADABLE_TYPE = "dev.idsync.audit.unreadable";

    static List<AuditEntry> fromAll(ConsumerRecords<String, byte[]> records) {
        List<AuditEntry> entries = new ArrayList<>(records.count());
        records.forEach(r -> entries.add(from(r)));
        return entries;
    }

    static AuditEntry from(ConsumerRecord<String, byte[]> record) {
        String position = record.topic() + "/" + record.partition() + "/" + record.offset();
        JsonNode body = parse(record.value());
        String bodyText = body != null ? body.toString() : "{}";
        String ceId = CloudEventHeaders.id(record.headers()).orElse(null);
        String ceType = CloudEventHeaders.type(record.headers()).orElse(null);
        if (body == null || ceId == null || ceType == null) {
            return new AuditEntry("unreadable:" + position, UNREADABLE_TYPE, "urn:idsync:audit-log", record.topic(),
                    text(body, "tenantId", "unknown"), text(body, "objectId", record.key() == null ? "unknown" : record.key()),
                    null, Instant.ofEpochMilli(record.timestamp()), bodyText);
        }
        return new AuditEntry(ceId, ceType, CloudEventHeaders.source(record.headers()).orElse("unknown"),
                record.topic(), text(body, "tenantId", "unknown"), text(body, "objectId", "unknown"),
                text(body, "runId", null),
                CloudEventHeaders.time(record.headers()).orElse(observedAt(body, record.timestamp())), bodyText);
    }

    private static JsonNode parse(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try {
            JsonNode node = EventJson.mapper().readTree(value);
            return node != null && node.isObject() ? node : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String text(JsonNode body, String field, String fallback) {
        if (body == null) {
            return fallback;
        }
        JsonNode node = body.path(field);
        return node.isValueNode() && !node.isNull() ? node.asText() : fallback;
    }

    private static Instant observedAt(JsonNode body, long recordTimestamp) {
        String text = text(body, "observedAt", null);
        if (text != null) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException ignored) {
                // fall through to the broker's timestamp
            }
        }
        return Instant.ofEpochMilli(recordTimestamp);
    }
}
