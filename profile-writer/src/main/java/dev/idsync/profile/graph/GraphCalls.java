package dev.idsync.profile.graph;

import dev.idsync.graph.RetryPolicy;
import dev.idsync.profile.ProfileMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Every Graph call of profile-writer goes through here: timed for the round-trip metric, failures
 * classified, and throttling/unavailability retried with graph-access' {@link RetryPolicy} (Retry-After
 * honoured, bounded backoff, a bounded total wait). What still fails after that reaches the client as 503
 * with the last Retry-After, so the client, not a blocked thread, waits out a long outage.
 */
@ApplicationScoped
public class GraphCalls {

    private static final Logger LOG = Logger.getLogger(GraphCalls.class);

    private final ProfileMetrics metrics;

    GraphCalls(ProfileMetrics metrics) {
        this.metrics = metrics;
    }

    public ObservedUser read(TenantGraph graph, String userId, List<String> select) {
        return withRetries(graph, "read", userId, GraphFailure.READ_PERMISSION,
                () -> graph.reader().read(userId, select));
    }

    /** PATCH through graph-access' {@code UserProfileClient}; its re-read is limited to {@code id}. */
    public dev.idsync.graph.users.PatchOutcome patch(TenantGraph graph, String userId, java.util.Map<String, Object> changes) {
        return withRetries(graph, "patch", userId, GraphFailure.WRITE_PERMISSION,
                () -> graph.access().users().patch(userId, changes, List.of("id")));
    }

    <T> T withRetries(TenantGraph graph, String operation, String userId, String permission, Supplier<T> call) {
        RetryPolicy policy = graph.access().config().retry();
        long waitedMillis = 0;
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            GraphFailure failure;
            try {
                T result = call.get();
                metrics.graphCall(graph.tenantId(), operation, "ok", System.nanoTime() - started);
                return result;
            } catch (RuntimeException e) {
                failure = GraphErrors.classify(e, userId, permission);
                metrics.graphCall(graph.tenantId(), operation, failure.kind().reason, System.nanoTime() - started);
            }
            if (!failure.isTransient() || attempt >= policy.maxAttempts()) {
                throw failure;
            }
            Duration wait = waitBefore(policy, failure, attempt);
            if (wait == null || waitedMillis + wait.toMillis() > policy.maxTotalWait().toMillis()) {
                // Longer than this request may wait: the client gets 503 with Graph's Retry-After.
                throw failure;
            }
            LOG.debugf("Graph %s of %s: %s, retry %d in %d ms", operation, userId, failure.getMessage(), attempt,
                    wait.toMillis());
            waitedMillis += wait.toMillis();
            // A blocking request thread waits here anyway (the client is waiting for the answer); parking
            // keeps the user's lock, so no other update of this user overtakes the retried one.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait.toMillis()));
        }
    }

    /** Graph's Retry-After if it is one this request may wait out, else backoff; null: do not wait in-line. */
    private static Duration waitBefore(RetryPolicy policy, GraphFailure failure, int attempt) {
        if (failure.retryAfter().isEmpty()) {
            return policy.backoff(attempt);
        }
        Duration after = failure.retryAfter().get();
        return after.compareTo(policy.maxRetryAfter()) > 0 ? null : policy.honour(after);
    }
}
