package dev.idsync.kafka;

/**
 * The headers a dead letter carries besides the original record's own (key, value and headers are kept
 * unchanged). Every value is UTF-8 text. Part of the contract (docs/CONTRACT.md, "Dead letters").
 */
public final class DeadLetterHeaders {

    /** The reason code ({@link PoisonReason#code()}), e.g. {@code schema-violation}. */
    public static final String REASON = "dlq-reason";
    /** A human-readable detail, e.g. the schema's complaint or the database's SQL state and message. */
    public static final String ERROR = "error";
    /** Where the record was read: topic, partition and offset. */
    public static final String TOPIC = "dlq-topic";
    public static final String PARTITION = "dlq-partition";
    public static final String OFFSET = "dlq-offset";
    /** The consumer group that refused it (several groups read one topic and share its {@code .dlq}). */
    public static final String CONSUMER_GROUP = "dlq-consumer-group";

    private DeadLetterHeaders() {
    }
}
