package dev.idsync.graph.delta;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A page of a delta round. Exactly one of {@code nextLink} (more pages follow, even after an empty page)
 * and {@code deltaLink} (the round is complete; store it for the next round) is present.
 *
 * @param observedAt Graph's {@code Date} header: when Graph produced this state (the events' observedAt)
 * @param rawDate    the header as sent
 * @param attempts   requests it took, retries included
 */
public record DeltaPage(URI requestedUrl, List<DeltaItem> items, Optional<URI> nextLink, Optional<URI> deltaLink,
                        Optional<Instant> observedAt, String rawDate, int attempts) implements DeltaPageResult {

    public boolean isLast() {
        return deltaLink.isPresent();
    }
}
