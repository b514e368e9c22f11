package dev.idsync.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.MDC;

/**
 * One record's position (topic, partition, offset) in the log MDC while a line about it is logged, and the
 * values it replaced (a batch's, see {@link dev.idsync.kafka.trace.BatchSpans}) restored on close.
 */
public final class RecordMdc implements AutoCloseable {

    private static final String[] KEYS = {"topic", "partition", "offset"};
    private final Object[] before = new Object[KEYS.length];

    private RecordMdc(ConsumerRecord<?, ?> record) {
        for (int i = 0; i < KEYS.length; i++) {
            before[i] = MDC.get(KEYS[i]);
        }
        MDC.put("topic", record.topic());
        MDC.put("partition", Integer.toString(record.partition()));
        MDC.put("offset", Long.toString(record.offset()));
    }

    public static RecordMdc of(ConsumerRecord<?, ?> record) {
        return new RecordMdc(record);
    }

    @Override
    public void close() {
        for (int i = 0; i < KEYS.length; i++) {
            if (before[i] == null) {
                MDC.remove(KEYS[i]);
            } else {
                MDC.put(KEYS[i], before[i]);
            }
        }
    }
}
