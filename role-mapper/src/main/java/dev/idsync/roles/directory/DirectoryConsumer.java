package dev.idsync.roles.directory;

import dev.idsync.events.SyncEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The public users, groups and memberships topics ({@code idsync.directory.*.v2}: what delta-processor
 * decided; consumer group {@code role-mapper}, read_committed), one poll batch at a time per topic; each
 * batch is acknowledged when {@link DirectoryBatchApplier} returns, i.e. after its transaction committed.
 */
@ApplicationScoped
public class DirectoryConsumer {

    private final DirectoryBatchApplier applier;

    DirectoryConsumer(DirectoryBatchApplier applier) {
        this.applier = applier;
    }

    @Incoming("users")
    @Blocking // ordered (the default): one batch at a time keeps per-key order (per object, per membership)
    public void users(List<SyncEvent> batch) {
        applier.apply(batch);
    }

    @Incoming("groups")
    @Blocking
    public void groups(List<SyncEvent> batch) {
        applier.apply(batch);
    }

    @Incoming("memberships")
    @Blocking
    public void memberships(List<SyncEvent> batch) {
        applier.apply(batch);
    }
}
