package dev.idsync.kafka.trace;

import dev.idsync.kafka.Readable;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.MDC;

/**
 * The consumer span around one poll batch of a hand-built consumer: extract each record's trace context
 * ({@link TraceHeaders}), process the batch (database transaction included) inside one CONSUMER span.
 *
 * <p>A batch holds records of several producers' spans. Its span's <em>parent</em> is the first record's
 * context and every other distinct context is a <em>link</em> (OpenTelemetry's messaging conventions for
 * batch processing). Why parent at all rather than links only: the poller publishes a run's pages keyed by
 * tenant and a batch usually holds pages of one run, so with a parent the apply shows inside the run's trace
 * in any backend (most only show links as references); the links keep the other runs' records reachable.
 * At most {@value #MAX_LINKS} links (the SDK's default limit), so a 5000-record batch stays one small span.
 *
 * <p>While the batch is current, the log MDC names where it was read: {@code topic} (when the batch is of one
 * topic), {@code partition} and {@code offset} (the first and last offset, when it is of one partition), so
 * every line logged while applying it (text or JSON) says which records it is about.
 */
@ApplicationScoped
public class BatchSpans {

    static final int MAX_LINKS = 128;
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<Long> COUNT = AttributeKey.longKey("messaging.batch.message_count");

    private final Tracer tracer;

    @Inject
    BatchSpans(Instance<OpenTelemetry> openTelemetry) {
        this(openTelemetry.isResolvable() ? openTelemetry.get() : OpenTelemetry.noop());
    }

    /** With a given OpenTelemetry (tests, code outside CDI). */
    public BatchSpans(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.idsync.kafka");
    }

    /**
     * Starts {@code process <topic>} for the batch and makes it current until {@link Batch#close()}.
     *
     * @param group the consumer group, as an attribute
     */
    public Batch start(Iterable<? extends ConsumerRecord<?, ?>> records, String group) {
        Set<String> topics = new LinkedHashSet<>();
        Set<Integer> partitions = new LinkedHashSet<>();
        long count = 0;
        long firstOffset = -1;
        long lastOffset = -1;
        Set<SpanContext> contexts = new LinkedHashSet<>();
        for (ConsumerRecord<?, ?> record : records) {
            count++;
            topics.add(record.topic());
            partitions.add(record.partition());
            firstOffset = firstOffset < 0 ? record.offset() : Math.min(firstOffset, record.offset());
            lastOffset = Math.max(lastOffset, record.offset());
            SpanContext context = TraceHeaders.extract(record.headers());
            if (context.isValid() && contexts.size() <= MAX_LINKS) {
                contexts.add(context);
            }
        }
        String topic = topics.size() == 1 ? topics.iterator().next() : null;
        SpanBuilder builder = tracer.spanBuilder("process " + (topic != null ? topic : topics.size() + " topics"))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(OPERATION, "process")
                .setAttribute(GROUP, group)
                .setAttribute(COUNT, count);
        if (topic != null) {
            builder.setAttribute(DESTINATION, topic);
        }
        boolean first = true;
        for (SpanContext context : contexts) {
            if (first) {
                builder.setParent(Context.root().with(Span.wrap(context)));
                first = false;
            } else {
                builder.addLink(context);
            }
        }
        if (first) {
            builder.setNoParent();
        }
        Span span = builder.startSpan();
        Mdc mdc = new Mdc();
        if (topic != null) {
            mdc.put("topic", topic);
        }
        if (partitions.size() == 1 && topic != null) {
            mdc.put("partition", partitions.iterator().next().toString());
            mdc.put("offset", firstOffset == lastOffset ? Long.toString(firstOffset) : firstOffset + "-" + lastOffset);
        }
        return new Batch(span, span.makeCurrent(), mdc);
    }

    /** The MDC keys a batch set, removed again when it closes (the consumer thread serves the next batch). */
    private static final class Mdc {
        private final List<String> keys = new ArrayList<>(3);

        void put(String key, String value) {
            MDC.put(key, value);
            keys.add(key);
        }

        void clear() {
            keys.forEach(MDC::remove);
        }
    }

    /** The batch's span, current on this thread until closed; {@link #failed} marks it as an error. */
    public static final class Batch implements AutoCloseable {

        private final Span span;
        private final Scope scope;
        private final Mdc mdc;

        Batch(Span span, Scope scope, Mdc mdc) {
            this.span = span;
            this.scope = scope;
            this.mdc = mdc;
        }

        public void failed(Throwable error) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        }

        /**
         * Names the batch's {@code tenant} and {@code runId} in the MDC (and as span attributes) when every
         * readable record of it shares them, as a run's pages do.
         */
        public void describe(List<Readable> readable) {
            String tenant = shared(readable, r -> r.event().tenantId());
            String runId = shared(readable, r -> r.event().runId());
            if (tenant != null) {
                mdc.put("tenant", tenant);
                span.setAttribute("idsync.tenant", tenant);
            }
            if (runId != null) {
                mdc.put("runId", runId);
                span.setAttribute("idsync.run_id", runId);
            }
        }

        private static String shared(List<Readable> readable,
                Function<Readable, String> value) {
            String shared = null;
            for (Readable r : readable) {
                String v = value.apply(r);
                if (v == null || (shared != null && !shared.equals(v))) {
                    return null;
                }
                shared = v;
            }
            return shared;
        }

        public Span span() {
            return span;
        }

        @Override
        public void close() {
            mdc.clear();
            scope.close();
            span.end();
        }
    }
}
