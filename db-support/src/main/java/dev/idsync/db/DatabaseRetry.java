package dev.idsync.db;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;

/**
 * Runs a unit of work (one transaction: a consumer's poll batch, a login-sync) again while it fails
 * transiently ({@link TransientDatabaseFailure}), with exponential backoff, for at most {@code maxWait}.
 * A consumer that waits here instead of failing keeps its offsets uncommitted and its channel alive, so
 * a PostgreSQL restart costs a pause, not a service restart; past {@code maxWait} the failure is
 * thrown and the caller's own failure handling (a stopped channel, health DOWN) takes over.
 *
 * <p>The work must be all-or-nothing (one transaction), since a failed attempt is simply repeated.
 */
public final class DatabaseRetry {

    private static final Logger LOG = Logger.getLogger(DatabaseRetry.class);

    /** What a retry looks like to whoever counts them (a metric). */
    @FunctionalInterface
    public interface Listener {
        void retrying(String what, int attempt, Duration wait, String reason);
    }

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxWait;
    private final Listener listener;

    public DatabaseRetry(Duration initialBackoff, Duration maxBackoff, Duration maxWait, Listener listener) {
        if (!initialBackoff.isPositive() || maxBackoff.compareTo(initialBackoff) < 0 || maxWait.isNegative()) {
            throw new IllegalArgumentException("need 0 < initialBackoff <= maxBackoff and maxWait >= 0, got "
                    + initialBackoff + ", " + maxBackoff + ", " + maxWait);
        }
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxWait = maxWait;
        this.listener = listener;
    }

    /**
     * The same retry with another bound: an HTTP request should not hang for the minutes a consumer may
     * wait for its database.
     */
    public DatabaseRetry withMaxWait(Duration bound) {
        return new DatabaseRetry(initialBackoff, maxBackoff, bound.compareTo(maxWait) < 0 ? bound : maxWait, listener);
    }

    /** 100 ms doubling up to 5 s between attempts, for at most 5 minutes, no listener. */
    public static DatabaseRetry defaults() {
        return new DatabaseRetry(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(5), (w, a, d, r) -> { });
    }

    /**
     * The work's result, after as many attempts as transient failures within {@code maxWait} need.
     *
     * @throws RuntimeException the work's own runtime failure, or a checked one wrapped in an
     *                          {@link IllegalStateException} naming {@code what}
     */
    public <T> T call(String what, Callable<T> work) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return work.call();
            } catch (Exception e) {
                String reason = TransientDatabaseFailure.reason(e).orElse(null);
                long left = deadline - System.nanoTime();
                if (reason == null || left <= 0) {
                    if (reason != null) {
                        LOG.errorf("%s: still failing after %s (%s); giving up", what, maxWait, reason);
                    }
                    throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(what + " failed", e);
                }
                Duration wait = backoff.compareTo(Duration.ofNanos(left)) > 0 ? Duration.ofNanos(left) : backoff;
                LOG.warnf("%s: attempt %d failed transiently (%s); again in %d ms", what, attempt, reason, wait.toMillis());
                listener.retrying(what, attempt, wait, reason);
                sleep(wait);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    /** {@link #call} for work without a result. */
    public void run(String what, Work work) {
        call(what, () -> {
            work.run();
            return null;
        });
    }

    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
