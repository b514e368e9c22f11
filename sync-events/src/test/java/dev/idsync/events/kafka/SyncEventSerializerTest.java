package dev.idsync.events.kafka;

import dev.idsync.events.CeIds;
import dev.idsync.events.EventType;
import dev.idsync.events.Fixtures;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncEventSerializerTest {

    private final SyncEvent event = Fixtures.sample(EventType.USER_UPSERTED);

    @Test
    void sourceComesFromTheChannelConfigAndDefaultsToUrnIdsync() {
        SyncEventSerializer unconfigured = new SyncEventSerializer();
        RecordHeaders headers = new RecordHeaders();
        unconfigured.serialize(Topics.USERS, headers, event);
        assertEquals("urn:idsync", CloudEventHeaders.source(headers).orElseThrow());

        // What SmallRye does with the channel's attributes, and KafkaProducer with its properties.
        SyncEventSerializer configured = new SyncEventSerializer();
        configured.configure(Map.of(SyncEventSerializer.SOURCE_CONFIG, "urn:idsync:graph-poller",
                "bootstrap.servers", "localhost:19092"), false);
        RecordHeaders configuredHeaders = new RecordHeaders();
        configured.serialize(Topics.USERS, configuredHeaders, event);
        assertEquals("urn:idsync:graph-poller", CloudEventHeaders.source(configuredHeaders).orElseThrow());
    }

    @Test
    void refusesMisuse() {
        SyncEventSerializer serializer = new SyncEventSerializer();
        assertThrows(IllegalArgumentException.class, () -> serializer.configure(Map.of(), true));
        assertThrows(UnsupportedOperationException.class, () -> serializer.serialize(Topics.USERS, event));
        assertThrows(IllegalArgumentException.class, () -> new SyncEventSerializer(" "));
        assertThrows(IllegalArgumentException.class,
                () -> serializer.configure(Map.of(SyncEventSerializer.SOURCE_CONFIG, ""), false));
    }

    @Test
    void replacesCloudEventHeadersAFrameworkAlreadyWroteAndKeepsOthers() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", "framework-id".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", "something.else".getBytes(StandardCharsets.UTF_8));
        headers.add("content-type", "text/plain".getBytes(StandardCharsets.UTF_8));
        headers.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));

        new SyncEventSerializer().serialize(Topics.USERS, headers, event);

        assertEquals(1, count(headers, "ce_id"));
        assertEquals(1, count(headers, "ce_type"));
        assertEquals(1, count(headers, "content-type"));
        assertEquals(CeIds.of(event), CloudEventHeaders.id(headers).orElseThrow());
        assertEquals("application/json", CloudEventHeaders.contentType(headers).orElseThrow());
        assertEquals(1, count(headers, "traceparent"));
    }

    @Test
    void tombstoneStaysATombstone() {
        RecordHeaders headers = new RecordHeaders();
        assertNull(new SyncEventSerializer().serialize(Topics.USERS, headers, null));
        assertFalse(headers.iterator().hasNext());
    }

    @Test
    void producerRecordGetsTheContractKeyAndTheHeadersKafkaProducerSends() {
        // KafkaProducer.send calls valueSerializer.serialize(record.topic(), record.headers(), record.value())
        // and sends record.headers() as they are afterwards; this does the same. (MockProducer can't be used:
        // it serializes into throw-away headers.)
        SyncEventSerializer valueSerializer = new SyncEventSerializer("urn:idsync:bench");
        SyncEvent membership = Fixtures.sample(EventType.MEMBERSHIP_ADDED);
        ProducerRecord<String, SyncEvent> record = SyncEventRecords.of(membership);
        byte[] value = valueSerializer.serialize(record.topic(), record.headers(), record.value());

        assertEquals(Topics.MEMBERSHIPS, record.topic());
        assertEquals(Fixtures.TENANT + ":" + Fixtures.GROUP + ":" + Fixtures.USER, record.key());
        Headers headers = record.headers();
        assertEquals(CeIds.of(membership), CloudEventHeaders.id(headers).orElseThrow());
        assertEquals("urn:idsync:bench", CloudEventHeaders.source(headers).orElseThrow());
        assertEquals(Fixtures.OBSERVED, CloudEventHeaders.time(headers).orElseThrow());
        assertEquals(Fixtures.GROUP, CloudEventHeaders.subject(headers).orElseThrow());
        assertEquals("1.0", CloudEventHeaders.specVersion(headers).orElseThrow());
        assertTrue(CloudEventHeaders.isBinaryMode(headers));
        assertEquals(membership, new SyncEventDeserializer().deserialize(record.topic(), headers, value));

        assertEquals(Topics.DRY_RUN, SyncEventRecords.of(Topics.DRY_RUN, membership).topic());
    }

    @Test
    void sameEventSerializesToTheSameBytesAndId() {
        SyncEventSerializer serializer = new SyncEventSerializer();
        RecordHeaders first = new RecordHeaders();
        RecordHeaders second = new RecordHeaders();
        assertArrayEquals(serializer.serialize(Topics.USERS, first, event), serializer.serialize(Topics.USERS, second, event));
        assertEquals(CloudEventHeaders.id(first), CloudEventHeaders.id(second));
    }

    private static int count(Headers headers, String name) {
        int n = 0;
        for (var header : headers.headers(name)) {
            n++;
        }
        return n;
    }
}
