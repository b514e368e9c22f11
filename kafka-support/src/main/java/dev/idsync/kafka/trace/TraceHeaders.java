package dev.idsync.kafka.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) in Kafka record headers, for the producers and
 * consumers idsync builds itself (the poller's publisher, dead letters, the outbox relays, the batch
 * consumers); SmallRye's channels do the same for theirs. Only the OpenTelemetry API: with the SDK disabled
 * (no OTLP endpoint configured) there is never a valid span, and every method here writes nothing.
 *
 * <p>An outbox row is published later, by another thread, often after the span that wrote it ended: the row
 * keeps the {@code traceparent} of its writer ({@link #currentTraceparent}) and the relay puts exactly that on
 * the record ({@link #setTraceparent}), so the consumer continues the trace that decided the event, not the
 * relay's.
 */
public final class TraceHeaders {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) ->
            headers.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8));

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private TraceHeaders() {
    }

    /** Puts the current span's context on the record, replacing one it carried; nothing without a span. */
    public static void injectCurrent(Headers headers) {
        inject(Context.current(), headers);
    }

    /** Puts {@code context}'s span on the record, replacing one it carried; nothing without a valid span. */
    public static void inject(Context context, Headers headers) {
        if (Span.fromContext(context).getSpanContext().isValid()) {
            W3C.inject(context, headers, SETTER);
        }
    }

    /** The remote span a record names (invalid, i.e. none, when it carries no or a malformed traceparent). */
    public static SpanContext extract(Headers headers) {
        return Span.fromContext(W3C.extract(Context.root(), headers, GETTER)).getSpanContext();
    }

    /** The current span as a W3C {@code traceparent} value, for a row published later (outbox); null without one. */
    public static String currentTraceparent() {
        if (!Span.current().getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(Context.current(), carrier, (map, key, value) -> map.put(key, value));
        return carrier.get(TRACEPARENT);
    }

    /** Sets the {@code traceparent} a row kept ({@link #currentTraceparent}); null leaves the headers alone. */
    public static void setTraceparent(String traceparent, Headers headers) {
        if (traceparent != null && !traceparent.isBlank()) {
            headers.remove(TRACESTATE);
            SETTER.set(headers, TRACEPARENT, traceparent);
        }
    }

    /** The header names this class writes, e.g. for code that copies headers and must not copy stale ones. */
    public static List<String> names() {
        return List.of(TRACEPARENT, TRACESTATE);
    }
}
