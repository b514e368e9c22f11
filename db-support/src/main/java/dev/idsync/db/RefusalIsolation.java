package dev.idsync.db;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Applies a batch whose unit of work may be refused for good by the database ({@link DatabaseRefusal})
 * because of one or a few of its items, so that exactly those items are set aside and every other item is
 * applied as it would have been.
 *
 * <p>How: the whole batch first (the normal case costs nothing extra). If the database refuses it, the batch
 * is split in two halves that are applied <em>in order</em>, left before right, each again whole or split,
 * down to single items; a single item that is refused is the culprit. Each part is its own unit of work (its
 * own transaction), so a part that succeeded is committed before the next one runs: per-key order is the
 * batch's order, and what the work does for one item is exactly what it does inside the whole batch, as long
 * as the work is idempotent per item and depends on no other item of the batch being in the same
 * transaction (true for idsync's consumers: each record is applied on its own merits, guarded by
 * {@code observedAt}). {@code b} bad items among {@code n} cost about {@code 2 b log2(n)} extra units of work.
 *
 * <p>A failure that is not a refusal (transient after the caller's retries, or a fault of the service)
 * is thrown as before: the caller's channel stops rather than blaming records for it.
 */
public final class RefusalIsolation {

    /** An item the database refused, and why ({@link DatabaseRefusal#reason}). */
    public record Refused<T>(T item, String reason) {
    }

    /** What the applied parts returned, in order, and the refused items, in order. */
    public record Outcome<T, R>(List<R> applied, List<Refused<T>> refused) {
    }

    private RefusalIsolation() {
    }

    public static <T, R> Outcome<T, R> apply(List<T> items, Function<List<T>, R> work) {
        List<R> applied = new ArrayList<>();
        List<Refused<T>> refused = new ArrayList<>();
        apply(items, work, applied, refused);
        return new Outcome<>(applied, refused);
    }

    private static <T, R> void apply(List<T> items, Function<List<T>, R> work, List<R> applied, List<Refused<T>> refused) {
        if (items.isEmpty()) {
            return;
        }
        try {
            applied.add(work.apply(items));
        } catch (RuntimeException failure) {
            String reason = DatabaseRefusal.reason(failure).orElseThrow(() -> failure);
            if (items.size() == 1) {
                refused.add(new Refused<>(items.get(0), reason));
                return;
            }
            int middle = items.size() / 2;
            apply(items.subList(0, middle), work, applied, refused);
            apply(items.subList(middle, items.size()), work, applied, refused);
        }
    }
}
