package dev.idsync.profile.graph;

import java.time.Instant;
import java.util.Map;

/**
 * A user as Graph returned it, with Graph's response {@code Date} as {@code observedAt} (the contract's
 * ordering rule: an older observation never overwrites a newer one).
 */
public record ObservedUser(String id, Map<String, Object> properties, Instant observedAt) {
}
