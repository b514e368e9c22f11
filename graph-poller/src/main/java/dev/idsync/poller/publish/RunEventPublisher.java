package dev.idsync.poller.publish;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * {@code syncrun.started/completed/failed} through the {@code sync-runs} channel (acks=all, idempotent),
 * waiting for Kafka's acknowledgement. A dry run's lifecycle goes to the dry-run topic with its events, so
 * nothing of a dry run reaches a topic that consumers act on.
 */
@ApplicationScoped
public class RunEventPublisher {

    private final MutinyEmitter<SyncEvent> runEvents;

    RunEventPublisher(@Channel("sync-runs") MutinyEmitter<SyncEvent> runEvents) {
        this.runEvents = runEvents;
    }

    public void publishAndAwait(SyncEvent event, boolean dryRun) {
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key());
        if (dryRun) {
            metadata.withTopic(Topics.DRY_RUN);
        }
        runEvents.sendMessage(Message.of(event).addMetadata(metadata.build()))
                .await().atMost(Duration.ofSeconds(60));
    }
}
