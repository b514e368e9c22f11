package dev.idsync.roles;

import java.time.Instant;

/**
 * What triggered a role change: the sync run (or request id) and observation it came from. It becomes the
 * role-assignment event's envelope, so a replay of the same run yields the same {@code ce_id}.
 *
 * @param actor the administrator whose API request caused the change (the event's {@code data.actor}); null
 *              for sync runs and logins
 */
public record Cause(String runId, long epoch, Instant observedAt, String actor) {

    public Cause(String runId, long epoch, Instant observedAt) {
        this(runId, epoch, observedAt, null);
    }

    /** The newer of two causes (observation time decides, as everywhere in idsync). */
    public static Cause newer(Cause a, Cause b) {
        return b.observedAt().isAfter(a.observedAt()) ? b : a;
    }
}
