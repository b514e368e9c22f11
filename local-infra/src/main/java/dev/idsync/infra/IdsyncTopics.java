package dev.idsync.infra;

import dev.idsync.events.Topics;
import java.util.ArrayList;
import java.util.List;

/** The topics a broker for idsync needs: every public topic and its dead-letter topic. */
public final class IdsyncTopics {

    /** Partitions of every idsync topic on a local broker: enough to exercise per-key ordering. */
    public static final int PARTITIONS = 3;

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
}
