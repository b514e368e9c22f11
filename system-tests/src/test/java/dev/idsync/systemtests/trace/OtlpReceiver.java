package dev.idsync.systemtests.trace;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A tiny OTLP/HTTP trace receiver in the test JVM: the services of the system-tests stack export to it
 * ({@code IDSYNC_OTEL_ENDPOINT}), it decodes each {@code ExportTraceServiceRequest} (protobuf, gzip or not)
 * and keeps the spans in memory, so a test can follow one trace across the services. Only the newest
 * {@value #MAX_SPANS} spans are kept: the long scenarios of the stack export too.
 */
public final class OtlpReceiver implements AutoCloseable {

    static final int MAX_SPANS = 200_000;
    private static final HexFormat HEX = HexFormat.of();

    /** One span as received: the exporting service, ids in hex, name, times in epoch nanoseconds, attributes. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
                               String kind, long startNanos, long endNanos, Map<String, String> attributes,
                               List<String> linkedTraceIds) {

        public long durationMicros() {
            return (endNanos - startNanos) / 1_000;
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new ArrayList<>();
    private final AtomicLong requests = new AtomicLong();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1. */
    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            // Any path: Quarkus' exporter posts to <endpoint>/v1/traces.
            server.createContext("/", exchange -> {
                try (exchange; InputStream raw = exchange.getRequestBody()) {
                    InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                            ? new GZIPInputStream(raw) : raw;
                    receiver.accept(ExportTraceServiceRequest.parseFrom(body));
                    byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, answer.length);
                    exchange.getResponseBody().write(answer);
                } catch (IOException | RuntimeException e) {
                    exchange.sendResponseHeaders(400, -1);
                }
            });
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "otlp-receiver");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the OTLP receiver", e);
        }
    }

    /** The endpoint for {@code IDSYNC_OTEL_ENDPOINT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public long requests() {
        return requests.get();
    }

    private void accept(ExportTraceServiceRequest request) {
        requests.incrementAndGet();
        List<ReceivedSpan> received = new ArrayList<>();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = attributes(resource.getResource().getAttributesList()).getOrDefault("service.name", "?");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    received.add(new ReceivedSpan(service, hex(span.getTraceId().toByteArray()),
                            hex(span.getSpanId().toByteArray()), hex(span.getParentSpanId().toByteArray()),
                            span.getName(), span.getKind().name().replace("SPAN_KIND_", ""),
                            span.getStartTimeUnixNano(), span.getEndTimeUnixNano(),
                            attributes(span.getAttributesList()),
                            span.getLinksList().stream().map(l -> hex(l.getTraceId().toByteArray())).toList()));
                }
            }
        }
        synchronized (spans) {
            spans.addAll(received);
            if (spans.size() > MAX_SPANS) {
                spans.subList(0, spans.size() - MAX_SPANS).clear();
            }
        }
    }

    /** Every span received so far (a copy). */
    public List<ReceivedSpan> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    /** The spans of one trace, in the order they started. */
    public List<ReceivedSpan> trace(String traceId) {
        return spans().stream().filter(s -> s.traceId().equals(traceId))
                .sorted(java.util.Comparator.comparingLong(ReceivedSpan::startNanos)).toList();
    }

    private static Map<String, String> attributes(List<KeyValue> values) {
        Map<String, String> map = new LinkedHashMap<>();
        for (KeyValue kv : values) {
            map.put(kv.getKey(), text(kv.getValue()));
        }
        return map;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString().strip();
        };
    }

    private static String hex(byte[] bytes) {
        return bytes.length == 0 ? "" : HEX.formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
