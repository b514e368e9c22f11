package dev.idsync.roles;

import java.time.Instant;

/**
 * What triggered a role change: the sync run (or request id) and observation it came from. It becomes the
 * role-assignment event's envelope, so a replay of the same run yields the same {@code ce_id}.
 */
public record Cause(String runId, long epoch, Instant observedAt) {

    /** The newer of two causes (observation time decides, as everywhere in idsync). */
    public static Cause newer(Cause a, Cause b) {
        return b.observedAt().isAfter(a.observedAt()) ? b : a;
    }
}
