package dev.idsync.directory.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the poll thread got, and what callers wait for: the bootstrap, and catch-up requests (each one
 * "the end offsets at the time I asked"). Shared between the poll thread and any caller thread.
 */
final class Progress {

    /** Completes when the bootstrap is applied; fails when the client stops before that. */
    final CompletableFuture<Void> bootstrapped = new CompletableFuture<>();

    private final Queue<CatchUpRequest> incoming = new ConcurrentLinkedQueue<>();
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private volatile Throwable stopped;

    /** One caller's wait: the poll thread sets {@link #target} from the end offsets at its next turn. */
    static final class CatchUpRequest {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Map<TopicPartition, Long> target;
    }

    CatchUpRequest requestCatchUp() {
        CatchUpRequest request = new CatchUpRequest();
        incoming.add(request);
        Throwable cause = stopped;
        if (cause != null) { // stopped meanwhile: nobody will take the request
            request.done.completeExceptionally(cause);
        }
        return request;
    }

    /** Poll thread: the requests that arrived since the last call. */
    List<CatchUpRequest> drainNew() {
        List<CatchUpRequest> drained = new ArrayList<>();
        for (CatchUpRequest r; (r = incoming.poll()) != null; ) {
            drained.add(r);
        }
        return drained;
    }

    /** The poll thread's positions after its last batch, for messages. */
    Map<TopicPartition, Long> positions() {
        return positions;
    }

    void positions(Map<TopicPartition, Long> now) {
        positions = Map.copyOf(now);
    }

    /** Poll thread, at its end: every wait still open fails with {@code cause}. */
    void stop(Throwable cause, List<CatchUpRequest> pending) {
        stopped = cause;
        bootstrapped.completeExceptionally(cause);
        pending.forEach(r -> r.done.completeExceptionally(cause));
        drainNew().forEach(r -> r.done.completeExceptionally(cause));
    }
}
