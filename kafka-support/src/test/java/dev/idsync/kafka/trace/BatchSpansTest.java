package dev.idsync.kafka.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The propagation idsync's hand-built producers and batch consumers share, with the real OpenTelemetry SDK
 * recording in memory: what a producer writes into record headers is what a consumer batch continues.
 */
class BatchSpansTest {

    private final List<SpanData> finished = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new InMemory(finished))).build();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    private final Tracer producerSide = otel.getTracer("test-producer");
    private final BatchSpans spans = new BatchSpans(otel);

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void a_batch_span_continues_its_first_records_trace_and_links_the_other_traces_in_the_batch() {
        SpanContext runA = producedBy("sync run A");
        SpanContext runB = producedBy("sync run B");
        List<ConsumerRecord<String, byte[]>> batch = List.of(
                record(3, 100, runA), record(3, 101, runA), record(3, 102, runB), record(3, 103, null));

        try (BatchSpans.Batch span = spans.start(batch, "delta-processor")) {
            assertThat(Span.current().getSpanContext()).isEqualTo(span.span().getSpanContext());
            // What the batch's transaction writes to an outbox row is the batch's own span.
            assertThat(TraceHeaders.currentTraceparent()).contains(runA.getTraceId())
                    .contains(span.span().getSpanContext().getSpanId());
        }

        SpanData consumer = finished.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).findFirst().orElseThrow();
        assertThat(consumer.getName()).isEqualTo("process idsync.graph.observations.v1");
        assertThat(consumer.getTraceId()).isEqualTo(runA.getTraceId());
        assertThat(consumer.getParentSpanId()).isEqualTo(runA.getSpanId());
        assertThat(consumer.getLinks()).extracting(LinkData::getSpanContext).extracting(SpanContext::getTraceId)
                .containsExactly(runB.getTraceId());
        assertThat(consumer.getAttributes().asMap().toString()).contains("messaging.batch.message_count=4");
    }

    @Test
    void an_outbox_row_keeps_its_writers_traceparent_and_the_relay_puts_exactly_that_on_the_record() {
        String kept;
        Span writer = producerSide.spanBuilder("apply batch").startSpan();
        try (Scope scope = writer.makeCurrent()) {
            kept = TraceHeaders.currentTraceparent();
        } finally {
            writer.end();
        }
        // Later, on the relay's thread, in another (or no) span.
        Span relay = producerSide.spanBuilder("relay").startSpan();
        ProducerRecord<String, byte[]> published = new ProducerRecord<>("idsync.directory.users.v2", "k", new byte[0]);
        try (Scope scope = relay.makeCurrent()) {
            TraceHeaders.setTraceparent(kept, published.headers());
        } finally {
            relay.end();
        }

        SpanContext carried = TraceHeaders.extract(published.headers());
        assertThat(carried.getTraceId()).isEqualTo(writer.getSpanContext().getTraceId());
        assertThat(carried.getSpanId()).isEqualTo(writer.getSpanContext().getSpanId());
        assertThat(carried.isRemote()).isTrue();
    }

    @Test
    void without_a_span_nothing_is_written_and_a_batch_without_context_starts_a_trace_of_its_own() {
        RecordHeaders headers = new RecordHeaders();
        TraceHeaders.injectCurrent(headers);
        assertThat(headers.toArray()).isEmpty();
        assertThat(TraceHeaders.currentTraceparent()).isNull();

        try (BatchSpans.Batch span = spans.start(List.of(record(0, 7, null)), "role-mapper")) {
            assertThat(span.span().getSpanContext().isValid()).isTrue();
        }
        SpanData consumer = finished.getFirst();
        assertThat(consumer.getParentSpanContext().isValid()).isFalse();
        assertThat(consumer.getLinks()).isEmpty();
    }

    private SpanContext producedBy(String name) {
        Span span = producerSide.spanBuilder(name).startSpan();
        span.end();
        return span.getSpanContext();
    }

    private static ConsumerRecord<String, byte[]> record(int partition, long offset, SpanContext producer) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("idsync.graph.observations.v1", partition, offset,
                "tenant", new byte[0]);
        if (producer != null) {
            TraceHeaders.inject(io.opentelemetry.context.Context.root().with(Span.wrap(producer)), record.headers());
        }
        return record;
    }

    private record InMemory(List<SpanData> into) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            into.addAll(spans);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
