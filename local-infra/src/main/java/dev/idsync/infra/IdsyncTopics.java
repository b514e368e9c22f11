package dev.idsync.infra;

import dev.idsync.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The topics a broker for idsync needs: every topic of {@link Topics#ALL} and its dead-letter topic, the
 * ones of {@link Topics#COMPACTED} with {@code cleanup.policy=compact} (docs/CONTRACT.md), the others with
 * the broker's default (delete).
 */
public final class IdsyncTopics {

    /** Partitions of every idsync topic on a local broker: enough to exercise per-key ordering. */
    public static final int PARTITIONS = 3;

    /**
     * System property (or environment variable {@code IDSYNC_KAFKA_FAST_COMPACTION}): {@code true} creates the
     * compacted topics with {@link #compactedConfig(boolean) small segments}, so that tests can see compaction
     * happen within seconds. Read by {@link #specs()}, i.e. by the shared test broker and the local stack.
     */
    public static final String FAST_COMPACTION_PROPERTY = "idsync.kafka.fast-compaction";

    /**
     * How long a segment of a fast-compacting topic stays active. Only closed segments are cleaned, and a
     * segment rolls by time only when a record arrives after this long.
     */
    public static final long FAST_SEGMENT_MS = 200;

    private IdsyncTopics() {
    }

    public static List<String> withDeadLetters() {
        List<String> names = new ArrayList<>();
        for (String topic : Topics.ALL) {
            names.add(topic);
            names.add(Topics.dlq(topic));
        }
        return List.copyOf(names);
    }

    /** Every topic of {@link #withDeadLetters()} as it is created; fast compaction if {@link #FAST_COMPACTION_PROPERTY} says so. */
    public static List<TopicSpec> specs() {
        return specs(fastCompactionRequested());
    }

    /** Every topic of {@link #withDeadLetters()} with {@link #PARTITIONS} partitions; the compacted ones compacted. */
    public static List<TopicSpec> specs(boolean fastCompaction) {
        return withDeadLetters().stream()
                .map(name -> {
                    TopicSpec topic = TopicSpec.of(name, PARTITIONS);
                    return Topics.compacted(name) ? topic.withConfigs(compactedConfig(fastCompaction)) : topic;
                })
                .toList();
    }

    /**
     * The configuration of a compacted topic on a local broker: {@code cleanup.policy=compact} and
     * {@code min.compaction.lag.ms=0} (any closed segment may be cleaned). With {@code fastCompaction} also
     * segments that roll after {@value #FAST_SEGMENT_MS} ms (or at the smallest size Kafka allows, 1 MiB) and
     * {@code min.cleanable.dirty.ratio=0.01}, so the cleaner takes a log as soon as anything in it is
     * superseded; together with the broker's short {@code log.cleaner.backoff.ms} ({@code KRaftProperties})
     * compaction runs within about a second of a segment closing.
     */
    public static Map<String, String> compactedConfig(boolean fastCompaction) {
        if (!fastCompaction) {
            return Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0");
        }
        return Map.of(
                "cleanup.policy", "compact",
                "min.compaction.lag.ms", "0",
                "segment.ms", Long.toString(FAST_SEGMENT_MS),
                "segment.bytes", Integer.toString(1024 * 1024),
                "min.cleanable.dirty.ratio", "0.01");
    }

    /** Whether {@link #FAST_COMPACTION_PROPERTY} (or {@code IDSYNC_KAFKA_FAST_COMPACTION}) is {@code true}. */
    public static boolean fastCompactionRequested() {
        String value = System.getProperty(FAST_COMPACTION_PROPERTY, System.getenv("IDSYNC_KAFKA_FAST_COMPACTION"));
        return Boolean.parseBoolean(value == null ? null : value.trim());
    }
}
