package dev.idsync.infra;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A topic to create: its name, partition count and topic-level configuration (e.g.
 * {@code cleanup.policy=compact}); replication factor 1 on the local brokers.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic needs at least one partition, not " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    /** A topic with the broker's default configuration. */
    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of());
    }

    /** This topic with {@code more} added to its configuration (replacing keys it had). */
    public TopicSpec withConfigs(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(configs);
        merged.putAll(more);
        return new TopicSpec(name, partitions, merged);
    }
}
