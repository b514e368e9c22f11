package dev.idsync.graph.delta;

import java.net.URI;
import java.util.Optional;

/**
 * Graph will not continue from this token: the client must run a new initial round (a full sync). Graph
 * says so in two forms, both mapped here: 400 with error {@code syncStateNotFound} (expired token), and
 * 410 Gone with a {@code Location} header naming the fresh initial query.
 *
 * @param freshQuery the Location of a 410, if Graph sent one
 */
public record ResyncRequired(URI requestedUrl, int status, String errorCode, String message, Optional<URI> freshQuery)
        implements DeltaPageResult {
}
