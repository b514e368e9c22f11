package dev.idsync.poller.state;

import java.time.Instant;
import java.util.Optional;

/**
 * What the poller remembers of one tenant's resource between runs.
 *
 * @param token      the deltaLink for the next round, with the epoch and $select of the round that produced it
 * @param checkpoint a round in progress: the link of its first page not yet published
 * @param lastObservedAt the observedAt of the last page published for the resource
 */
public record DeltaState(Optional<Token> token, Optional<Checkpoint> checkpoint, Optional<Instant> lastObservedAt) {

    public static final DeltaState NONE = new DeltaState(Optional.empty(), Optional.empty(), Optional.empty());

    public record Token(String deltaLink, long epoch, String select, Instant storedAt) {
    }

    /** @param initialRound whether the round is an initial query (a first sync, a full run, a resync) */
    public record Checkpoint(String nextLink, long epoch, String select, String runId, long pages, Instant at,
                             boolean initialRound) {
    }
}
