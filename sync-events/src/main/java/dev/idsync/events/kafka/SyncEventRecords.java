package dev.idsync.events.kafka;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Producer records with the contract's key, for plain kafka-clients producers (tests, bench, tools). */
public final class SyncEventRecords {

    private SyncEventRecords() {
    }

    /** A record for the event's public topic, with its public key ({@link SyncEvent#key()}). */
    public static ProducerRecord<String, SyncEvent> of(SyncEvent event) {
        if (event.eventType() == null) {
            throw new IllegalArgumentException("an unrecognized event has no normal topic: name one, e.g. "
                    + "Topics.dlq(...)");
        }
        return of(event.eventType().topic(), event);
    }

    /**
     * A record for {@link Topics#GRAPH_OBSERVATIONS}, keyed by the tenant alone: one tenant's observations
     * stay in one partition, in the order they were published (a run's end marker after its pages).
     */
    public static ProducerRecord<String, SyncEvent> observation(SyncEvent event) {
        return new ProducerRecord<>(Topics.GRAPH_OBSERVATIONS, event.tenantId(), event);
    }

    /** A record for another topic, e.g. {@link Topics#DRY_RUN} or a dead-letter topic. */
    public static ProducerRecord<String, SyncEvent> of(String topic, SyncEvent event) {
        return new ProducerRecord<>(topic, event.key(), event);
    }
}
