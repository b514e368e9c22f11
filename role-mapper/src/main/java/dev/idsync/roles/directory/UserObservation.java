package dev.idsync.roles.directory;

import java.time.Instant;

/**
 * What an event says about a user's state. {@code enabled} is null when an upsert did not carry
 * {@code accountEnabled} (a minimal delta): then the account keeps the enabled flag it had.
 */
public record UserObservation(String tenantId, String userId, boolean removed, Boolean enabled, Instant observedAt) {

    /** This observation followed by a newer one, folded into one (so each user is written once per batch). */
    UserObservation then(UserObservation newer) {
        if (newer.observedAt().isBefore(observedAt)) {
            return this;
        }
        if (!newer.removed() && newer.enabled() == null && !removed) {
            return new UserObservation(tenantId, userId, false, enabled, newer.observedAt());
        }
        return newer;
    }
}
