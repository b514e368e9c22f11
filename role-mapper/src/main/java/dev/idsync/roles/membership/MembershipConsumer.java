package dev.idsync.roles.membership;

import dev.idsync.events.SyncEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Feeds each poll batch of the memberships topic to the applier; acknowledged when this returns. */
@ApplicationScoped
public class MembershipConsumer {

    private final MembershipApplier applier;

    MembershipConsumer(MembershipApplier applier) {
        this.applier = applier;
    }

    @Incoming("memberships")
    @Blocking // ordered (the default): one batch at a time keeps per-key order
    public void consume(List<SyncEvent> batch) {
        applier.apply(batch);
    }
}
