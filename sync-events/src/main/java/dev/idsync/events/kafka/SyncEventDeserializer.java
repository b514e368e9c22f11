package dev.idsync.events.kafka;

import dev.idsync.events.EventJson;
import dev.idsync.events.EventType;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UnrecognizedEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * Kafka value deserializer for idsync topics. Reads binary-mode CloudEvents (what idsync writes) and,
 * for robustness, structured-mode ones ({@code content-type: application/cloudevents+json}); the SDK's
 * {@link CloudEventDeserializer} tells the two apart. The record class is chosen by {@code ce_type}.
 *
 * <ul>
 *   <li>A {@code ce_type} this version does not know becomes an {@link UnrecognizedEvent}: no exception,
 *       so a consumer keeps running when a producer adds a type within the topic version.</li>
 *   <li>A record that is not a CloudEvent, or a known type whose body does not bind (missing required
 *       field, unknown enum value), throws {@link SerializationException}. The Kafka consumer surfaces it
 *       as a {@code RecordDeserializationException} with the offset, so the consumer can dead-letter
 *       the record and seek past it; SmallRye's deserialization failure handling applies likewise.</li>
 *   <li>A {@code null} value (tombstone) yields {@code null}.</li>
 * </ul>
 *
 * <p>Thread-safe and stateless.
 */
public class SyncEventDeserializer implements Deserializer<SyncEvent> {

    private final CloudEventDeserializer cloudEvents = new CloudEventDeserializer();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (isKey) {
            throw new IllegalArgumentException(
                    "SyncEventDeserializer reads record values; keys are plain strings <tenantId>:<objectId>");
        }
    }

    /** Always fails: without headers neither the type nor a binary-mode event can be read. */
    @Override
    public SyncEvent deserialize(String topic, byte[] data) {
        throw new UnsupportedOperationException(
                "SyncEventDeserializer reads CloudEvents and needs record headers: use deserialize(topic, headers, data)");
    }

    @Override
    public SyncEvent deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        CloudEvent event;
        try {
            event = cloudEvents.deserialize(topic, headers, data);
        } catch (RuntimeException notACloudEvent) {
            throw new SerializationException("record on " + topic + " is not a CloudEvent: "
                    + notACloudEvent.getMessage(), notACloudEvent);
        }
        return toSyncEvent(event);
    }

    /** Binds a CloudEvent (from any binding) to its record; see the class comment for the rules. */
    public static SyncEvent toSyncEvent(CloudEvent event) {
        byte[] body = event.getData() == null ? new byte[0] : event.getData().toBytes();
        Optional<EventType> type = EventType.fromType(event.getType());
        if (type.isEmpty()) {
            String source = event.getSource() == null ? null : event.getSource().toString();
            return UnrecognizedEvent.of(event.getId(), event.getType(), source, body);
        }
        try {
            return EventJson.read(type.get(), body);
        } catch (UncheckedIOException invalid) {
            throw new SerializationException("CloudEvent " + event.getId() + ": " + invalid.getMessage(), invalid);
        }
    }
}
