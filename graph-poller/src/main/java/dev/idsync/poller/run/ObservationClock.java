package dev.idsync.poller.run;

import java.time.Instant;
import java.util.Optional;

/**
 * The {@code observedAt} of a resource's pages: Graph's {@code Date} of the response, made strictly
 * increasing. {@code Date} has whole seconds, and consumers let an observation win only over an older
 * one; so an object soft-deleted by one run and restored by the next within the same second would stay
 * deleted (system-tests saw it). A page answered in the second of the previous one gets the previous
 * observedAt + 1 ms: still within Graph's second, and ordered as the poller saw it. Runs of one tenant
 * and resource never overlap (RunStarter), so one clock per round, started from the stored last value,
 * orders them across runs and instances.
 */
final class ObservationClock {

    private Instant last;

    ObservationClock(Optional<Instant> lastStored) {
        this.last = lastStored.orElse(null);
    }

    Instant next(Optional<Instant> graphDate) {
        Instant date = graphDate.orElseGet(Instant::now);
        last = last == null || date.isAfter(last) ? date : last.plusMillis(1);
        return last;
    }

    /** The observedAt handed out last (to store with the checkpoint), if any. */
    Optional<Instant> last() {
        return Optional.ofNullable(last);
    }
}
