package dev.idsync.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.config.IdsyncConfig;
import dev.idsync.events.EventJson;
import dev.idsync.events.EventType;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UnrecognizedEvent;
import dev.idsync.events.kafka.CloudEventHeaders;
import dev.idsync.events.kafka.SyncEventDeserializer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Judges one record as every idsync consumer must before applying it: readable as an idsync event of a
 * configured tenant, or poison, and then which kind ({@link PoisonReason}). The checks, in order:
 * <ol>
 *   <li>the value is JSON ({@code not-json});</li>
 *   <li>the headers make it a CloudEvent (binary mode, as idsync writes, or structured mode)
 *       ({@code not-a-cloudevent});</li>
 *   <li>its {@code ce_type} is one this version knows ({@code unknown-type}; a newer producer's type is
 *       set aside, to be replayed from the {@code .dlq} once this consumer knows it);</li>
 *   <li>the body satisfies the type's JSON Schema and binds to its record ({@code schema-violation});</li>
 *   <li>its tenant is configured in idsync.yaml ({@code unknown-tenant}; only where the service reads
 *       idsync.yaml's tenants and it lists some).</li>
 * </ol>
 * A tombstone (null value) is neither: it is skipped by the caller. Stateless apart from compiled schemas.
 */
@ApplicationScoped
public class EventTriage {

    private final EventSchemaCheck schemas = new EventSchemaCheck();
    private final SyncEventDeserializer deserializer = new SyncEventDeserializer();
    /**
     * The configured tenants. Empty for a service that reads no tenant list (audit-log), or was given an
     * idsync.yaml without tenants (the bench's processor): then no tenant is unknown.
     */
    private final Optional<IdsyncConfig> config;

    EventTriage(Instance<IdsyncConfig> config) {
        this.config = config.isResolvable() && !config.get().tenants().isEmpty() ? Optional.of(config.get())
                : Optional.empty();
    }

    /** The event, or why the record is poison; never throws for anything a record may contain. */
    public Verdict judge(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value();
        SyncEvent event;
        try {
            event = deserializer.deserialize(record.topic(), record.headers(), value);
        } catch (RuntimeException unreadable) {
            // The rare path: find out why. A good record is parsed only by the binding and the schema check.
            if (jsonObject(value) == null) {
                return Verdict.poison(PoisonReason.NOT_JSON, "the value is not a JSON object");
            }
            Optional<EventType> type = CloudEventHeaders.eventType(record.headers());
            if (type.isPresent() && CloudEventHeaders.id(record.headers()).isPresent()) {
                // A CloudEvent of a known type whose body does not bind: what the schema says is wrong, if it can say.
                return Verdict.poison(PoisonReason.SCHEMA_VIOLATION,
                        schemas.violation(type.get(), value).orElse(message(unreadable)));
            }
            return Verdict.poison(PoisonReason.NOT_A_CLOUD_EVENT, message(unreadable));
        }
        if (event instanceof UnrecognizedEvent unknown) {
            if (jsonObject(value) == null) {
                return Verdict.poison(PoisonReason.NOT_JSON, "the value is not a JSON object");
            }
            return Verdict.poison(PoisonReason.UNKNOWN_TYPE, "ce_type " + unknown.type() + " is not known to this version");
        }
        // Binary mode (what idsync writes): the value is the body. Structured mode: the envelope's data is.
        byte[] body = CloudEventHeaders.isBinaryMode(record.headers()) ? value : bytes(jsonObject(value).path("data"));
        Optional<String> violation = schemas.violation(event.eventType(), body);
        if (violation.isPresent()) {
            return Verdict.poison(PoisonReason.SCHEMA_VIOLATION, event.ceType() + ": " + violation.get());
        }
        if (config.isPresent() && !config.get().tenants().containsKey(event.tenantId())) {
            return Verdict.poison(PoisonReason.UNKNOWN_TENANT, "tenant " + event.tenantId() + " is not configured in idsync.yaml");
        }
        return Verdict.event(event);
    }

    /** The value as a JSON object, or null when it is empty, not JSON, or JSON but no object. */
    public static JsonNode jsonObject(byte[] value) {
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

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String message(Throwable failure) {
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message;
    }

    /** Exactly one of {@code event} and {@code poison} is set. */
    public record Verdict(SyncEvent event, Poison poison) {

        static Verdict event(SyncEvent event) {
            return new Verdict(event, null);
        }

        static Verdict poison(PoisonReason reason, String detail) {
            return new Verdict(null, new Poison(reason, detail));
        }

        public boolean isPoison() {
            return poison != null;
        }
    }
}
