package dev.idsync.processor.users;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All of one batch's events about one user, folded into the single row change they add up to.
 *
 * <p>Attributes accumulate across the batch (a delta may carry only changed properties) and survive a
 * removal, so a user that is created and soft-deleted within one batch is pending with its attributes,
 * ready to be restored. An event older than what was folded so far is ignored, as the store would.
 */
final class FoldedUser {

    private final String tenantId;
    private final String objectId;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private UserState state;
    private String removalReason;
    private Instant observedAt;
    private String runId;
    private long epoch;

    private FoldedUser(SyncEvent first) {
        this.tenantId = first.tenantId();
        this.objectId = first.objectId();
    }

    static FoldedUser of(SyncEvent first) {
        FoldedUser folded = new FoldedUser(first);
        folded.add(first);
        return folded;
    }

    void add(SyncEvent event) {
        if (observedAt != null && event.observedAt().isBefore(observedAt)) {
            return;
        }
        switch (event) {
            case UserUpserted upserted -> {
                attributes.putAll(upserted.data());
                state = UserState.ACTIVE;
                removalReason = null;
            }
            case UserRemoved removed -> {
                state = UserState.afterRemoval(removed.data().reason());
                removalReason = removed.data().reason().json();
            }
            default -> throw new IllegalArgumentException("not a user event: " + event.ceType());
        }
        observedAt = event.observedAt();
        runId = event.runId();
        epoch = event.epoch();
    }

    String tenantId() {
        return tenantId;
    }

    String objectId() {
        return objectId;
    }

    Map<String, Object> attributes() {
        return attributes;
    }

    UserState state() {
        return state;
    }

    String removalReason() {
        return removalReason;
    }

    Instant observedAt() {
        return observedAt;
    }

    String runId() {
        return runId;
    }

    long epoch() {
        return epoch;
    }
}
