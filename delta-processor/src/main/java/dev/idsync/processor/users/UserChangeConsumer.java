package dev.idsync.processor.users;

import dev.idsync.events.SyncEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Feeds each poll batch of the users topic to the store; the batch is acknowledged when this returns. */
@ApplicationScoped
public class UserChangeConsumer {

    private final UserBatchApplier applier;

    UserChangeConsumer(UserBatchApplier applier) {
        this.applier = applier;
    }

    @Incoming("directory-users")
    @Blocking // ordered (the default): one batch at a time keeps per-key order
    public void consume(List<SyncEvent> batch) {
        applier.apply(batch);
    }
}
