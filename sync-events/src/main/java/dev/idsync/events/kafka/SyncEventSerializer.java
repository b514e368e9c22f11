package dev.idsync.events.kafka;

import dev.idsync.events.CeIds;
import dev.idsync.events.EventJson;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UnrecognizedEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;

/**
 * Kafka value serializer writing a {@link SyncEvent} as a CloudEvent 1.0 in <b>binary mode</b>: the
 * attributes become headers ({@code ce_id}, {@code ce_type}, {@code ce_source}, {@code ce_specversion},
 * {@code ce_time}, {@code ce_subject}, {@code content-type: application/json}) and the value is the JSON
 * body. The header encoding is the CloudEvents SDK's ({@link CloudEventSerializer}), not ours.
 *
 * <ul>
 *   <li>{@code ce_id} = {@link CeIds#of(String, SyncEvent)} with the scope {@value #ID_SCOPE_CONFIG} (none by
 *       default), {@code ce_time} = {@code observedAt},
 *       {@code ce_subject} = {@code objectId}.</li>
 *   <li>{@code ce_source} comes from the config key {@value #SOURCE_CONFIG} (default
 *       {@value #DEFAULT_SOURCE}); each service sets its own, e.g. {@code urn:idsync:graph-poller}.</li>
 *   <li>Binary mode needs record headers, so only {@link #serialize(String, Headers, SyncEvent)} works;
 *       both {@code KafkaProducer} and SmallRye Reactive Messaging call that one.</li>
 *   <li>The serializer owns the CloudEvents headers: any {@code ce_*} or {@code content-type} header
 *       already on the record (e.g. written by a framework's own CloudEvents support) is replaced, so a
 *       record never carries two different ids.</li>
 * </ul>
 *
 * <p>Thread-safe: Kafka shares one instance across all sends of a producer.
 */
public class SyncEventSerializer implements Serializer<SyncEvent> {

    /** Producer/channel config key naming this service as the CloudEvents {@code source}. */
    public static final String SOURCE_CONFIG = "idsync.ce.source";
    public static final String DEFAULT_SOURCE = "urn:idsync";
    /** Producer/channel config key of the {@code ce_id} scope ({@link CeIds#of(String, SyncEvent)}); unset: none. */
    public static final String ID_SCOPE_CONFIG = "idsync.ce.id-scope";
    public static final String CONTENT_TYPE_JSON = "application/json";

    private final CloudEventSerializer cloudEvents = new CloudEventSerializer();
    private volatile URI source;
    private volatile String idScope;

    /** For Kafka and SmallRye, which instantiate it by class name and then call {@link #configure}. */
    public SyncEventSerializer() {
        this(DEFAULT_SOURCE);
    }

    /**
     * For code that passes a serializer instance to {@code new KafkaProducer<>(props, keySer, valueSer)};
     * Kafka does not call {@link #configure} on such instances, so everything is set up here.
     */
    public SyncEventSerializer(String source) {
        this(source, null);
    }

    /** As {@link #SyncEventSerializer(String)}, with the {@code ce_id} scope, e.g. {@link CeIds#DECIDED}. */
    public SyncEventSerializer(String source, String idScope) {
        this.source = parseSource(source);
        this.idScope = idScope;
        cloudEvents.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.BINARY), false);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (isKey) {
            throw new IllegalArgumentException(
                    "SyncEventSerializer serializes record values; keys are plain strings <tenantId>:<objectId>");
        }
        Object configured = configs.get(SOURCE_CONFIG);
        if (configured != null) {
            source = parseSource(configured.toString());
        }
        Object scope = configs.get(ID_SCOPE_CONFIG);
        if (scope != null && !scope.toString().isBlank()) {
            idScope = scope.toString().trim();
        }
    }

    /** Always fails: a binary-mode CloudEvent cannot be written without record headers. */
    @Override
    public byte[] serialize(String topic, SyncEvent event) {
        throw new UnsupportedOperationException(
                "SyncEventSerializer writes binary-mode CloudEvents and needs record headers: "
                        + "use serialize(topic, headers, event)");
    }

    @Override
    public byte[] serialize(String topic, Headers headers, SyncEvent event) {
        if (event == null) {
            return null; // Kafka's convention for tombstones
        }
        Objects.requireNonNull(headers, "headers");
        CloudEventHeaders.removeCloudEventHeaders(headers);
        return cloudEvents.serialize(topic, headers, toCloudEvent(event));
    }

    /** The CloudEvent this serializer writes for an event (also useful for other bindings, e.g. HTTP). */
    public CloudEvent toCloudEvent(SyncEvent event) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(CeIds.of(idScope, event))
                .withType(event.ceType())
                .withSource(sourceOf(event))
                .withDataContentType(CONTENT_TYPE_JSON)
                .withData(EventJson.write(event));
        if (event.observedAt() != null) {
            builder.withTime(OffsetDateTime.ofInstant(event.observedAt(), ZoneOffset.UTC));
        }
        if (event.objectId() != null) {
            builder.withSubject(event.objectId());
        }
        return builder.build();
    }

    /** An event relayed unchanged (e.g. to a dead-letter topic) keeps the source it was published with. */
    private URI sourceOf(SyncEvent event) {
        if (event instanceof UnrecognizedEvent unrecognized && unrecognized.source() != null) {
            try {
                return URI.create(unrecognized.source());
            } catch (IllegalArgumentException notAUri) {
                return source;
            }
        }
        return source;
    }

    private static URI parseSource(String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException(SOURCE_CONFIG + " must not be blank");
        }
        return URI.create(source.trim());
    }
}
