package dev.idsync.emulator.subscriptions;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What the emulator sent to notification endpoints (the last 5,000 attempts), so a test can see a lost,
 * duplicated, retried or dropped notification without guessing.
 *
 * @param kind      {@code validation}, {@code change} or {@code lifecycle}
 * @param items     how many notifications the POST carried
 * @param status    the endpoint's HTTP status, 0 when it did not answer
 * @param outcome   {@code delivered}, {@code retrying}, {@code dropped}, {@code lost} (a fault: never sent),
 *                  {@code failed} (a validation that did not echo the token)
 */
@ApplicationScoped
public class DeliveryLog {

    public record Delivery(Instant at, String tenantId, String subscriptionId, String kind, String url, int items,
                           int attempt, int status, String outcome) {
    }

    private static final int CAPACITY = 5_000;
    private final Deque<Delivery> entries = new ArrayDeque<>();

    synchronized void add(Delivery delivery) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(delivery);
    }

    public synchronized List<Delivery> of(String tenantId) {
        return entries.stream().filter(d -> d.tenantId().equalsIgnoreCase(tenantId)).toList();
    }

    public synchronized void clear(String tenantId) {
        entries.removeIf(d -> d.tenantId().equalsIgnoreCase(tenantId));
    }
}
