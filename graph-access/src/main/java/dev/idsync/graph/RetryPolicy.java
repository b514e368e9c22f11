package dev.idsync.graph;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded retries for throttled (429) and unavailable (502/503/504, dropped connections) Graph requests.
 * A {@code Retry-After} from Graph is honoured as given (plus a little jitter so many clients do not return
 * at the same instant); without one, exponential backoff with full jitter. Nothing waits without bound:
 * a Retry-After above {@code maxRetryAfter} or a total wait above {@code maxTotalWait} ends the retries
 * and the caller gets the failure to reschedule.
 *
 * @param maxAttempts   total attempts including the first
 * @param initialBackoff backoff before the first retry when Graph gives no Retry-After
 * @param maxBackoff    cap of the exponential backoff
 * @param maxRetryAfter longest Retry-After the client is willing to wait in-line
 * @param maxTotalWait  cap of all waits of one request
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter,
                          Duration maxTotalWait) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(120),
                Duration.ofMinutes(5));
    }

    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** Wait before retry number {@code retry} (1-based) when Graph sent no Retry-After. */
    public Duration backoff(int retry) {
        long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() * (1L << Math.min(retry - 1, 20)));
        return Duration.ofMillis(cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    /** Wait for a server-given Retry-After: at least that long, at most 10% (and 1 s) more. */
    public Duration honour(Duration retryAfter) {
        long jitter = Math.min(1000, retryAfter.toMillis() / 10);
        return retryAfter.plusMillis(jitter <= 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1));
    }
}
