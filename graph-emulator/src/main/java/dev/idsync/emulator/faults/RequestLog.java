package dev.idsync.emulator.faults;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The most recent requests to Graph and authority endpoints, for tests that assert what a client sent
 * (e.g. that a field never reached Graph). Bounded, oldest entries are dropped first.
 */
@ApplicationScoped
public class RequestLog {

    static final String ENTRY_KEY = "idsync.emulator.request-log-entry";

    /** Mutable while the request is in flight; frozen into a {@link RecordedRequest} when read. */
    static final class Entry {
        final long sequence;
        final Instant receivedAt;
        final String server;
        final String method;
        final String path;
        final String query;
        final Map<String, String> headers;
        volatile String body;
        volatile int status;
        volatile String fault;

        Entry(long sequence, Instant receivedAt, String server, String method, String path, String query,
              Map<String, String> headers) {
            this.sequence = sequence;
            this.receivedAt = receivedAt;
            this.server = server;
            this.method = method;
            this.path = path;
            this.query = query;
            this.headers = headers;
        }

        RecordedRequest freeze() {
            return new RecordedRequest(sequence, receivedAt, server, method, path, query, headers, body, status, fault);
        }
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();

    public RequestLog(@ConfigProperty(name = "idsync.emulator.request-log.capacity", defaultValue = "10000") int capacity) {
        this.capacity = capacity;
    }

    Entry start(Instant at, String server, String method, String path, String query, Map<String, String> headers) {
        Entry entry = new Entry(sequence.incrementAndGet(), at, server, method, path, query, headers);
        synchronized (entries) {
            entries.addLast(entry);
            while (entries.size() > capacity) {
                entries.removeFirst();
            }
        }
        return entry;
    }

    /** Records the body of the current request; called by the handlers that read one. */
    public static void attachBody(RoutingContext ctx, String body) {
        Entry entry = ctx.get(ENTRY_KEY);
        if (entry != null) {
            entry.body = body;
        }
    }

    public List<RecordedRequest> all() {
        synchronized (entries) {
            List<RecordedRequest> result = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                result.add(e.freeze());
            }
            return result;
        }
    }

    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }
}
