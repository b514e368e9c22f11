package dev.idsync.bench.e2e;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * End offsets and consumer-group lag, read with the admin client. A group has caught up when, on every
 * partition of the topics it reads, its committed offset is the partition's end offset (lag 0): committed
 * offsets come after processing in every idsync consumer, so lag 0 means everything was handled.
 */
final class KafkaWatch implements AutoCloseable {

    private final Admin admin;

    KafkaWatch(String bootstrap) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** Sum of the end offsets of the topics' partitions. */
    long endOffsets(Collection<String> topics) {
        return ends(topics).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records not yet committed by the group on these topics (a partition it never committed counts whole). */
    long lag(String group, Collection<String> topics) {
        try {
            Map<TopicPartition, Long> ends = ends(topics);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            long lag = 0;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += Math.max(0, e.getValue() - (c == null ? 0 : c.offset()));
            }
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("lag of " + group, e.getCause());
        }
    }

    void deleteGroup(String group) {
        try {
            admin.deleteConsumerGroups(List.of(group)).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot delete consumer group " + group, e.getCause());
        }
    }

    private Map<TopicPartition, Long> ends(Collection<String> topics) {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().values().forEach(d -> d.partitions()
                    .forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            return admin.listOffsets(request).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("end offsets of " + topics, e.getCause());
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
