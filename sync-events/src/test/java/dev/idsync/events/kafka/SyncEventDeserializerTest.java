package dev.idsync.events.kafka;

import dev.idsync.events.CeIds;
import dev.idsync.events.EventJson;
import dev.idsync.events.EventType;
import dev.idsync.events.Fixtures;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.events.UnrecognizedEvent;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncEventDeserializerTest {

    private static final String FUTURE_TYPE = "dev.idsync.user.suspended.v1";
    private static final String FUTURE_BODY = """
            {"tenantId":"%s","objectId":"%s","runId":"%s","epoch":3,"observedAt":"2025-03-04T09:15:27Z",\
            "data":{"until":"2025-04-01"}}""".formatted(Fixtures.TENANT, Fixtures.USER, Fixtures.RUN);

    private final SyncEventDeserializer deserializer = new SyncEventDeserializer();

    @Test
    void unknownTypeBecomesAnUnrecognizedEventInsteadOfAnError() {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = binary(FUTURE_TYPE, "4b8f0a8e-1b0c-5d5e-9f3a-2b7c6d8e9f01", FUTURE_BODY.getBytes(StandardCharsets.UTF_8),
                headers);

        SyncEvent event = deserializer.deserialize(Topics.USERS, headers, value);

        UnrecognizedEvent unknown = assertInstanceOf(UnrecognizedEvent.class, event);
        assertEquals(FUTURE_TYPE, unknown.ceType());
        assertNull(unknown.eventType());
        assertEquals("4b8f0a8e-1b0c-5d5e-9f3a-2b7c6d8e9f01", unknown.id());
        assertEquals("urn:idsync:newer-poller", unknown.source());
        assertEquals(Fixtures.TENANT, unknown.tenantId());
        assertEquals(Fixtures.USER, unknown.objectId());
        assertEquals(Fixtures.RUN, unknown.runId());
        assertEquals(3, unknown.epoch());
        assertEquals(Fixtures.OBSERVED, unknown.observedAt());
        assertEquals("2025-04-01", unknown.data().get("until").asText());
        assertEquals(Fixtures.TENANT + ":" + Fixtures.USER, unknown.key());
        assertEquals(FUTURE_BODY, unknown.body());
        assertEquals("skip " + FUTURE_TYPE, whatAConsumerDoes(unknown));
    }

    @Test
    void unrecognizedEventIsRelayedUnchanged() {
        RecordHeaders received = new RecordHeaders();
        byte[] value = binary(FUTURE_TYPE, "id-from-newer-producer", FUTURE_BODY.getBytes(StandardCharsets.UTF_8), received);
        SyncEvent unknown = deserializer.deserialize(Topics.USERS, received, value);

        RecordHeaders relayed = new RecordHeaders();
        byte[] relayedValue = new SyncEventSerializer("urn:idsync:audit-log").serialize(Topics.dlq(Topics.USERS), relayed, unknown);

        assertArrayEquals(value, relayedValue);
        assertEquals("id-from-newer-producer", CloudEventHeaders.id(relayed).orElseThrow());
        assertEquals(FUTURE_TYPE, CloudEventHeaders.type(relayed).orElseThrow());
        assertEquals("urn:idsync:newer-poller", CloudEventHeaders.source(relayed).orElseThrow());
        assertEquals("id-from-newer-producer", CeIds.of(unknown));
        assertEquals(unknown, deserializer.deserialize(Topics.USERS, relayed, relayedValue));
    }

    @Test
    void unknownTypeWithANonJsonBodyStillDoesNotCrash() {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = binary("dev.idsync.something.v2", "x-1", "\u0000binary?".getBytes(StandardCharsets.UTF_8), headers);
        UnrecognizedEvent unknown = assertInstanceOf(UnrecognizedEvent.class,
                deserializer.deserialize(Topics.USERS, headers, value));
        assertNull(unknown.tenantId());
        assertNull(unknown.observedAt());
        assertNull(unknown.data());
        assertEquals("dev.idsync.something.v2", unknown.ceType());
    }

    @Test
    void readsStructuredModeToo() {
        SyncEvent event = Fixtures.sample(EventType.PROFILE_UPDATE_REJECTED);
        CloudEventSerializer structured = new CloudEventSerializer();
        structured.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.STRUCTURED,
                CloudEventSerializer.EVENT_FORMAT_CONFIG, "application/cloudevents+json"), false);
        RecordHeaders headers = new RecordHeaders();
        byte[] value = structured.serialize(Topics.PROFILE_CHANGES, headers,
                new SyncEventSerializer().toCloudEvent(event));

        assertTrue(CloudEventHeaders.contentType(headers).orElseThrow().startsWith("application/cloudevents+json"));
        assertTrue(CloudEventHeaders.id(headers).isEmpty(), "structured mode has no ce_ headers");
        assertEquals(event, deserializer.deserialize(Topics.PROFILE_CHANGES, headers, value));
    }

    @Test
    void aRecordThatIsNotACloudEventIsASerializationError() {
        byte[] body = EventJson.write(Fixtures.sample(EventType.USER_UPSERTED));
        assertThrows(SerializationException.class,
                () -> deserializer.deserialize(Topics.USERS, new RecordHeaders(), body));
    }

    @Test
    void aKnownTypeWithABrokenBodyIsASerializationError() {
        String purged = new String(EventJson.write(Fixtures.sample(EventType.USER_REMOVED)), StandardCharsets.UTF_8)
                .replace("softDeleted", "purged");
        RecordHeaders headers = new RecordHeaders();
        byte[] value = binary(EventType.USER_REMOVED.type(), "id-1", purged.getBytes(StandardCharsets.UTF_8), headers);
        SerializationException error = assertThrows(SerializationException.class,
                () -> deserializer.deserialize(Topics.USERS, headers, value));
        assertTrue(error.getMessage().contains("id-1"), error.getMessage());
    }

    @Test
    void tombstoneAndMisuse() {
        assertNull(deserializer.deserialize(Topics.USERS, new RecordHeaders(), (byte[]) null));
        assertThrows(UnsupportedOperationException.class, () -> deserializer.deserialize(Topics.USERS, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> deserializer.configure(Map.of(), true));
    }

    @Test
    void readsEventsFromAnotherBindingsCloudEvent() {
        SyncEvent event = Fixtures.sample(EventType.USER_REMOVED);
        CloudEvent cloudEvent = new SyncEventSerializer().toCloudEvent(event);
        assertEquals(event, SyncEventDeserializer.toSyncEvent(cloudEvent));
    }

    /** How a consumer branches: an unrecognized type is one more case, skipped rather than fatal. */
    private static String whatAConsumerDoes(SyncEvent event) {
        return switch (event) {
            case UserUpserted upserted -> "store " + upserted.objectId();
            case UserRemoved removed -> "remove " + removed.objectId();
            case UnrecognizedEvent unknown -> "skip " + unknown.ceType();
            default -> "ignore " + event.ceType();
        };
    }

    /** A binary-mode record as some other (newer) producer writes it, through the CloudEvents SDK. */
    private static byte[] binary(String type, String id, byte[] body, RecordHeaders headers) {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(id)
                .withType(type)
                .withSource(URI.create("urn:idsync:newer-poller"))
                .withTime(OffsetDateTime.parse("2025-03-04T09:15:27Z"))
                .withDataContentType("application/json")
                .withData(body)
                .build();
        return new CloudEventSerializer().serialize(Topics.USERS, headers, event);
    }
}
