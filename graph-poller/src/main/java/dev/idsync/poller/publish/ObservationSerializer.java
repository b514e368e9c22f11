package dev.idsync.poller.publish;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idsync.events.CeIds;
import dev.idsync.events.EventJson;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UnrecognizedEvent;
import dev.idsync.events.kafka.CloudEventHeaders;
import dev.idsync.events.kafka.SyncEventSerializer;
import io.cloudevents.types.Time;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The poller's value serializer: byte for byte what sync-events' {@link SyncEventSerializer} writes (the same
 * binary-mode CloudEvent headers in the same order, the same body, the same {@code ce_id} as
 * {@link CeIds#of(SyncEvent)}), for a fraction of its work per event. The observations of a 100k tenant
 * are a million events, and the profile of the initial sync put most of the poller's CPU into
 * serializing them: each body was built three times (a tree for the id, a sorted copy of it, the body
 * bytes from the record), the SHA-1 looked up per event, the CloudEvent built and its time formatted per event. Here the body
 * is written once as bytes and once as a tree, from which the canonical form is written straight (sorted
 * keys, without a sorted copy, leaves written directly); the digest is reused per thread; the headers are
 * written directly, constant ones shared, the time formatted once per page (a page shares its observedAt).
 * {@code ObservationSerializerTest} holds it to {@link SyncEventSerializer} for every kind of observation.
 */
public final class ObservationSerializer implements Serializer<SyncEvent> {

    private static final ObjectMapper MAPPER = EventJson.mapper();
    private static final byte[] SPEC_VERSION = bytes("1.0");
    private static final byte[] JSON = bytes(SyncEventSerializer.CONTENT_TYPE_JSON);
    private static final byte[] NAMESPACE = ByteBuffer.allocate(16).putLong(CeIds.NAMESPACE.getMostSignificantBits())
            .putLong(CeIds.NAMESPACE.getLeastSignificantBits()).array();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final byte[] source;
    private final SyncEventSerializer fallback;
    /** The last observedAt formatted, and its text: pages share one observedAt. */
    private volatile FormattedTime lastTime = new FormattedTime(Instant.EPOCH, bytes(format(Instant.EPOCH)));

    public ObservationSerializer(String source) {
        this.source = bytes(source);
        this.fallback = new SyncEventSerializer(source);
    }

    private record FormattedTime(Instant instant, byte[] text) {
    }

    /** Per thread: the digest and a buffer for the canonical form. */
    private static final class Scratch {
        final MessageDigest sha1;
        /**
         * CeIds hashes the UTF-8 of the text Jackson writes to a {@code Writer} (where a character outside the
         * BMP, or a lone surrogate, stays a char until encoded); Jackson's byte generator would escape
         * surrogates instead. So: text first, then UTF-8, as the reference does.
         */
        final StringWriter canonical = new StringWriter(512);

        Scratch() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform must provide SHA-1", e);
            }
        }
    }

    @Override
    public byte[] serialize(String topic, SyncEvent event) {
        throw new UnsupportedOperationException("binary-mode CloudEvents need record headers");
    }

    @Override
    public byte[] serialize(String topic, Headers headers, SyncEvent event) {
        if (event == null || event instanceof UnrecognizedEvent) {
            return fallback.serialize(topic, headers, event);
        }
        try {
            byte[] value = MAPPER.writeValueAsBytes(event);
            ObjectNode body = MAPPER.valueToTree(event);
            String id = ceIdOrReference(event, body);
            removeCloudEventHeaders(headers);
            headers.add(CloudEventHeaders.SPEC_VERSION, SPEC_VERSION);
            headers.add(CloudEventHeaders.ID, bytes(id));
            headers.add(CloudEventHeaders.SOURCE, source);
            headers.add(CloudEventHeaders.TYPE, bytes(event.ceType()));
            headers.add(CloudEventHeaders.CONTENT_TYPE, JSON);
            if (event.objectId() != null) {
                headers.add(CloudEventHeaders.SUBJECT, bytes(event.objectId()));
            }
            if (event.observedAt() != null) {
                headers.add(CloudEventHeaders.TIME, time(event.observedAt()));
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + event.ceType(), e);
        }
    }

    /** Should the fast path fail on some value, the reference computes the id: never a different one. */
    private static String ceIdOrReference(SyncEvent event, ObjectNode body) {
        try {
            return ceId(event.ceType(), body);
        } catch (IOException | RuntimeException e) {
            return CeIds.of(event);
        }
    }

    /** {@link CeIds#of(SyncEvent)}: a version-5 UUID over the type and the canonical body without observedAt. */
    static String ceId(String ceType, ObjectNode body) throws IOException {
        Scratch scratch = SCRATCH.get();
        StringBuffer text = scratch.canonical.getBuffer();
        text.setLength(0);
        try (JsonGenerator out = MAPPER.getFactory().createGenerator(scratch.canonical)) {
            writeSorted(out, body, true);
        }
        MessageDigest sha1 = scratch.sha1;
        sha1.reset();
        sha1.update(NAMESPACE);
        sha1.update(bytes(ceType));
        sha1.update((byte) '\n');
        sha1.update(bytes(text.toString()));
        byte[] hash = sha1.digest();
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bits.getLong(), bits.getLong()).toString();
    }

    /** EventJson.canonical's form: object keys sorted at every depth, arrays in order, leaves as the mapper writes them. */
    private static void writeSorted(JsonGenerator out, JsonNode node, boolean envelope) throws IOException {
        if (node.isObject()) {
            String[] names = new String[node.size()];
            int n = 0;
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!(envelope && name.equals("observedAt"))) {
                    names[n++] = name;
                }
            }
            Arrays.sort(names, 0, n);
            out.writeStartObject();
            for (int i = 0; i < n; i++) {
                out.writeFieldName(names[i]);
                writeSorted(out, node.get(names[i]), false);
            }
            out.writeEndObject();
        } else if (node.isArray()) {
            out.writeStartArray();
            for (JsonNode element : node) {
                writeSorted(out, element, false);
            }
            out.writeEndArray();
        } else if (node.isTextual()) {
            out.writeString(node.textValue());
        } else if (node.isNull()) {
            out.writeNull();
        } else if (node.isBoolean()) {
            out.writeBoolean(node.booleanValue());
        } else if (node.isInt()) {
            out.writeNumber(node.intValue());
        } else if (node.isLong()) {
            out.writeNumber(node.longValue());
        } else if (node.isDouble()) {
            out.writeNumber(node.doubleValue());
        } else {
            // Rarer leaves (big numbers, binary, POJOs) as the mapper writes them: slower, the same bytes.
            MAPPER.writeTree(out, node);
        }
    }

    private byte[] time(Instant observedAt) {
        FormattedTime last = lastTime;
        if (last.instant().equals(observedAt)) {
            return last.text();
        }
        FormattedTime formatted = new FormattedTime(observedAt, bytes(format(observedAt)));
        lastTime = formatted;
        return formatted.text();
    }

    private static String format(Instant instant) {
        return Time.writeTime(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** As sync-events' serializer: it owns the CloudEvents headers, so none a framework added survives. */
    private static void removeCloudEventHeaders(Headers headers) {
        List<String> names = new ArrayList<>();
        headers.forEach(h -> {
            if (h.key().startsWith(CloudEventHeaders.PREFIX) || h.key().equalsIgnoreCase(CloudEventHeaders.CONTENT_TYPE)) {
                names.add(h.key());
            }
        });
        names.forEach(headers::remove);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Set up in the constructor: the producer is built with this instance.
    }
}
