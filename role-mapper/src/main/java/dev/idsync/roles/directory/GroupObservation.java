package dev.idsync.roles.directory;

import java.time.Instant;

/** What an event says about a group: its name ({@code null}: not in this event) or that it is gone. */
public record GroupObservation(String tenantId, String groupId, boolean removed, String displayName,
        Instant observedAt) {

    GroupObservation then(GroupObservation newer) {
        if (newer.observedAt().isBefore(observedAt)) {
            return this;
        }
        if (!newer.removed() && newer.displayName() == null && !removed) {
            return new GroupObservation(tenantId, groupId, false, displayName, newer.observedAt());
        }
        return newer;
    }
}
