package dev.idsync.infra;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates topics through the Admin API; shared by the local broker and the Testcontainers one. */
public final class KafkaTopics {

    private static final long TIMEOUT_SECONDS = 60;

    private KafkaTopics() {
    }

    /**
     * Creates the topics that do not exist yet, each with {@code partitions} partitions and replication
     * factor 1; existing topics are left as they are, so calling this again is harmless.
     */
    public static void create(String bootstrapServers, Collection<String> names, int partitions) {
        create(bootstrapServers, names.stream().map(name -> TopicSpec.of(name, partitions)).toList());
    }

    /**
     * Creates the topics that do not exist yet as specified (replication factor 1); existing topics are left
     * as they are, configuration included, so calling this again is harmless.
     */
    public static void create(String bootstrapServers, Collection<TopicSpec> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "idsync-local-infra"))) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<String, TopicSpec> byName = new LinkedHashMap<>();
            topics.forEach(topic -> byName.putIfAbsent(topic.name(), topic));
            List<NewTopic> missing = byName.values().stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .map(topic -> new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(topic.configs()))
                    .toList();
            for (var result : admin.createTopics(missing).values().entrySet()) {
                awaitCreated(result.getKey(), result.getValue());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics on " + bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    private static void awaitCreated(String name, org.apache.kafka.common.KafkaFuture<Void> creation)
            throws InterruptedException, TimeoutException {
        try {
            creation.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // Lost a race with a concurrent creator: the topic exists, which is all we asked for.
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        }
    }
}
