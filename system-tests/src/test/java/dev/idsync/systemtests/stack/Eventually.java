package dev.idsync.systemtests.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Waits for an asynchronous consumer to catch up: polls a list of differences until it is empty and
 * says how long that took, or fails with the differences still left.
 */
public final class Eventually {

    private Eventually() {
    }

    public static Duration noDifferences(String what, Supplier<List<String>> differences, Duration atMost) {
        Instant t0 = Instant.now();
        Instant deadline = t0.plus(atMost);
        List<String> left = differences.get();
        while (!left.isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": still " + (left.size() >= 20 ? "20 or more" : left.size())
                        + " differences after " + atMost + ", e.g.:\n  " + String.join("\n  ", left));
            }
            SyncRuns.sleep(300);
            left = differences.get();
        }
        return Duration.between(t0, Instant.now());
    }
}
