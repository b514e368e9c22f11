package dev.idsync.kafka;

import dev.idsync.events.SyncEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record that passed {@link EventTriage}: where it was read, as received, and its event. */
public record Readable(ConsumerRecord<String, byte[]> record, SyncEvent event) {
}
