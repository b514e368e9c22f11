package dev.idsync.events.kafka;

import dev.idsync.events.EventType;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the CloudEvents attributes of a binary-mode Kafka record from its headers, without
 * deserializing the value: what a consumer needs before (or instead of) binding the body, e.g. the
 * audit log's {@code ce_id}, or a router's {@code ce_type}. Structured-mode records carry these inside
 * the value instead, so every method returns empty for them.
 */
public final class CloudEventHeaders {

    /** Prefix of every CloudEvents attribute header in Kafka binary mode. */
    public static final String PREFIX = "ce_";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    /** Binary mode maps {@code datacontenttype} to this plain header, not to a {@code ce_} one. */
    public static final String CONTENT_TYPE = "content-type";

    private CloudEventHeaders() {
    }

    /** The last header of that name as UTF-8 text; empty when absent or without value. */
    public static Optional<String> get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        return Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    public static Optional<String> id(Headers headers) {
        return get(headers, ID);
    }

    public static Optional<String> type(Headers headers) {
        return get(headers, TYPE);
    }

    /** The known event type; empty when the header is absent or names a type this version doesn't know. */
    public static Optional<EventType> eventType(Headers headers) {
        return type(headers).flatMap(EventType::fromType);
    }

    public static Optional<String> source(Headers headers) {
        return get(headers, SOURCE);
    }

    public static Optional<String> specVersion(Headers headers) {
        return get(headers, SPEC_VERSION);
    }

    public static Optional<String> subject(Headers headers) {
        return get(headers, SUBJECT);
    }

    public static Optional<String> contentType(Headers headers) {
        return get(headers, CONTENT_TYPE);
    }

    /** {@code ce_time} as an instant; empty when absent or not an RFC 3339 timestamp. */
    public static Optional<Instant> time(Headers headers) {
        return get(headers, TIME).flatMap(text -> {
            try {
                return Optional.of(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException malformed) {
                return Optional.empty();
            }
        });
    }

    /** Whether the record is a binary-mode CloudEvent (the spec version header is mandatory there). */
    public static boolean isBinaryMode(Headers headers) {
        return specVersion(headers).isPresent();
    }

    /**
     * Removes every CloudEvents header ({@code ce_*} and {@code content-type}), so a serializer can write
     * one authoritative set even if a framework added its own first.
     */
    static void removeCloudEventHeaders(Headers headers) {
        List<String> names = new ArrayList<>();
        for (Header header : headers) {
            if (header.key().startsWith(PREFIX) || header.key().equalsIgnoreCase(CONTENT_TYPE)) {
                names.add(header.key());
            }
        }
        names.forEach(headers::remove);
    }
}
