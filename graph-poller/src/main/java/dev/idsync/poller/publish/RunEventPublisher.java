package dev.idsync.poller.publish;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * {@code syncrun.started/completed/failed}, each waiting for Kafka's acknowledgement: first in line with the
 * run's observations on {@link Topics#GRAPH_OBSERVATIONS} (keyed by tenant, so delta-processor reads a run's
 * completion after every page of the run), then through the {@code sync-runs} channel (acks=all, idempotent)
 * on {@link Topics#SYNC_RUNS} for everyone else. A dry run's lifecycle goes to the dry-run topic only, with
 * its events, so nothing of a dry run reaches a topic that consumers act on.
 */
@ApplicationScoped
public class RunEventPublisher {

    private final ObservationPublisher observations;
    private final MutinyEmitter<SyncEvent> runEvents;

    RunEventPublisher(ObservationPublisher observations, @Channel("sync-runs") MutinyEmitter<SyncEvent> runEvents) {
        this.observations = observations;
        this.runEvents = runEvents;
    }

    public void publishAndAwait(SyncEvent event, boolean dryRun) {
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key());
        if (dryRun) {
            metadata.withTopic(Topics.DRY_RUN);
        } else {
            observations.publishAndAwait(List.of(event), false);
        }
        runEvents.sendMessage(Message.of(event).addMetadata(metadata.build()))
                .await().atMost(Duration.ofSeconds(60));
    }
}
