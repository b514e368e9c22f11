package dev.idsync.events.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.events.CeIds;
import dev.idsync.events.EventJson;
import dev.idsync.events.EventType;
import dev.idsync.events.Fixtures;
import dev.idsync.events.SchemaValidation;
import dev.idsync.events.SyncEvent;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every event type: serializer → headers → schema → deserializer → equal to the original. */
class RoundTripTest {

    private final SyncEventSerializer serializer = new SyncEventSerializer("urn:idsync:graph-poller");
    private final SyncEventDeserializer deserializer = new SyncEventDeserializer();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void serializesAsBinaryModeCloudEventMatchingItsSchemaAndReadsBackEqual(EventType type) throws Exception {
        SyncEvent event = Fixtures.sample(type);
        assertSame(type, event.eventType());
        assertInstanceOf(type.payloadClass(), event);

        RecordHeaders headers = new RecordHeaders();
        byte[] value = serializer.serialize(type.topic(), headers, event);

        // Binary mode: attributes are headers, one of each, and the value is the bare body.
        assertEquals(CeIds.of(event), single(headers, "ce_id"));
        assertEquals(type.type(), single(headers, "ce_type"));
        assertEquals("urn:idsync:graph-poller", single(headers, "ce_source"));
        assertEquals("1.0", single(headers, "ce_specversion"));
        assertEquals("2025-03-04T09:15:27Z", single(headers, "ce_time"));
        assertEquals(event.objectId(), single(headers, "ce_subject"));
        assertEquals("application/json", single(headers, "content-type"));
        assertEquals(5, UUID.fromString(single(headers, "ce_id")).version());
        JsonNode body = EventJson.mapper().readTree(value);
        assertEquals(List.of("tenantId", "objectId", "runId", "epoch", "observedAt", "data"),
                iterableToList(body.fieldNames()), "body is exactly the six envelope fields");
        assertFalse(body.has("specversion"), "structured-mode envelope must not be written");

        assertEquals(List.of(), SchemaValidation.validate(type, value));

        SyncEvent read = deserializer.deserialize(type.topic(), headers, value);
        assertEquals(event, read);
        assertEquals(event.key(), read.key());
        assertEquals(CeIds.of(event), CeIds.of(read), "ce_id must survive the round trip");
        assertEquals(CeIds.of(event), CloudEventHeaders.id(headers).orElseThrow());
        assertSame(type, CloudEventHeaders.eventType(headers).orElseThrow());
    }

    private static String single(RecordHeaders headers, String name) {
        List<Header> matching = StreamSupport.stream(headers.spliterator(), false)
                .filter(h -> h.key().equals(name))
                .toList();
        assertEquals(1, matching.size(), () -> "expected exactly one header " + name + ", got " + matching);
        assertNotNull(matching.getFirst().value(), name);
        String text = new String(matching.getFirst().value(), StandardCharsets.UTF_8);
        assertTrue(!text.isBlank(), name);
        return text;
    }

    private static List<String> iterableToList(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
