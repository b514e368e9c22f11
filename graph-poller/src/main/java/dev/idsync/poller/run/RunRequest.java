package dev.idsync.poller.run;

import dev.idsync.events.SyncMode;
import java.util.List;
import java.util.Objects;

/**
 * A run to start.
 *
 * @param resources  in reading order (users, groups, directoryRoles)
 * @param limitUsers stop after this many users (a trial); such a run stores no token or checkpoint for users
 * @param trigger    {@code api} or {@code schedule}
 */
public record RunRequest(String tenantId, SyncMode mode, List<String> resources, Integer limitUsers, String trigger) {

    public RunRequest {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(mode, "mode");
        resources = List.copyOf(resources);
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one resource");
        }
    }

    public boolean dryRun() {
        return mode == SyncMode.DRY_RUN;
    }
}
