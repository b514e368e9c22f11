package dev.idsync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.events.Topics;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IdsyncTopicsTest {

    @Test
    void every_idsync_topic_and_its_dead_letter_topic_is_created_the_graph_observations_included() {
        List<TopicSpec> specs = IdsyncTopics.specs(false);

        assertThat(specs).extracting(TopicSpec::name).containsExactlyElementsOf(IdsyncTopics.withDeadLetters())
                .contains(Topics.GRAPH_OBSERVATIONS, Topics.dlq(Topics.GRAPH_OBSERVATIONS));
        assertThat(specs).allSatisfy(topic -> assertThat(topic.partitions()).isEqualTo(IdsyncTopics.PARTITIONS));
    }

    @Test
    void the_public_compacted_topics_are_compacted_and_every_other_topic_keeps_the_broker_default() {
        Map<String, TopicSpec> byName = IdsyncTopics.specs(false).stream()
                .collect(Collectors.toMap(TopicSpec::name, topic -> topic));

        for (String topic : Topics.COMPACTED) {
            assertThat(byName.get(topic).configs()).as(topic)
                    .containsEntry("cleanup.policy", "compact").containsEntry("min.compaction.lag.ms", "0")
                    .doesNotContainKey("segment.ms");
            assertThat(byName.get(Topics.dlq(topic)).configs()).as("dead letters of " + topic).isEmpty();
        }
        assertThat(byName.get(Topics.GRAPH_OBSERVATIONS).configs()).isEmpty();
        assertThat(byName.get(Topics.SYNC_RUNS).configs()).isEmpty();
    }

    @Test
    void fast_compaction_gives_the_compacted_topics_small_segments_and_an_eager_cleaner() {
        Map<String, TopicSpec> byName = IdsyncTopics.specs(true).stream()
                .collect(Collectors.toMap(TopicSpec::name, topic -> topic));

        assertThat(byName.get(Topics.MEMBERSHIPS).configs())
                .containsEntry("cleanup.policy", "compact")
                .containsEntry("segment.ms", Long.toString(IdsyncTopics.FAST_SEGMENT_MS))
                .containsEntry("min.cleanable.dirty.ratio", "0.01");
        assertThat(byName.get(Topics.GRAPH_OBSERVATIONS).configs()).isEmpty();
    }
}
