package dev.idsync.directory.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * How a {@link DirectoryClient} connects and what it keeps. Immutable; each {@code with…} returns a copy.
 *
 * @param kafka           Kafka consumer properties: {@code bootstrap.servers} and, where the cluster needs them,
 *                        security settings; {@code group.id} is optional (see {@link #withGroupId(String)}).
 *                        Deserializers, isolation level, auto commit and offset reset are the client's own.
 * @param topics          the topic names, {@link DirectoryTopics#DEFAULT} unless the cluster names them otherwise
 * @param roleAssignments whether to read {@code idsync.app.role-assignments.v2} as well
 * @param tenants         which tenants to keep (by the key's {@code <tenantId>} prefix); records of others
 *                        are not even deserialized
 * @param listener        the callbacks
 * @param pollTimeout     how long one poll waits for records when the topics are quiet
 */
public record DirectoryClientConfig(Map<String, Object> kafka, DirectoryTopics topics, boolean roleAssignments,
        Predicate<String> tenants, DirectoryListener listener, Duration pollTimeout) {

    private static final DirectoryListener NO_CALLBACKS = new DirectoryListener() {
    };

    public DirectoryClientConfig {
        kafka = Map.copyOf(kafka);
        if (!kafka.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG + " is required");
        }
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(tenants, "tenants");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
    }

    /** Every tenant, the four directory topics, no callbacks, no consumer group. */
    public static DirectoryClientConfig of(String bootstrapServers) {
        return of(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** As {@link #of(String)} with these consumer properties (bootstrap servers, security settings, …). */
    public static DirectoryClientConfig of(Map<String, ?> kafkaProperties) {
        return new DirectoryClientConfig(Map.copyOf(kafkaProperties), DirectoryTopics.DEFAULT, false, tenant -> true,
                NO_CALLBACKS, Duration.ofMillis(500));
    }

    /** As {@link #of(Map)}, from {@link Properties}. */
    public static DirectoryClientConfig of(Properties kafkaProperties) {
        Map<String, Object> map = new HashMap<>();
        kafkaProperties.stringPropertyNames().forEach(name -> map.put(name, kafkaProperties.getProperty(name)));
        return of(map);
    }

    /** Also read the role assignments ({@link DirectoryReplica#roles}, {@link DirectoryListener#roleGranted}). */
    public DirectoryClientConfig withRoleAssignments() {
        return new DirectoryClientConfig(kafka, topics, true, tenants, listener, pollTimeout);
    }

    /** Keep only these tenants. */
    public DirectoryClientConfig withTenants(String... tenantIds) {
        Set<String> wanted = Set.of(tenantIds);
        return withTenants(wanted::contains);
    }

    /** Keep only the tenants {@code filter} accepts. */
    public DirectoryClientConfig withTenants(Predicate<String> filter) {
        return new DirectoryClientConfig(kafka, topics, roleAssignments, filter, listener, pollTimeout);
    }

    public DirectoryClientConfig withListener(DirectoryListener callbacks) {
        return new DirectoryClientConfig(kafka, topics, roleAssignments, tenants, callbacks, pollTimeout);
    }

    public DirectoryClientConfig withTopics(DirectoryTopics names) {
        return new DirectoryClientConfig(kafka, names, roleAssignments, tenants, listener, pollTimeout);
    }

    public DirectoryClientConfig withPollTimeout(Duration timeout) {
        return new DirectoryClientConfig(kafka, topics, roleAssignments, tenants, listener, timeout);
    }

    /**
     * Commit the replica's positions under this consumer group, so that the usual consumer-lag monitoring
     * shows how far behind it is. Positions are never read back: the replica lives in memory, so every start
     * bootstraps from offset 0. Partitions are assigned, not subscribed, so the group never rebalances; give
     * each client instance a group of its own.
     */
    public DirectoryClientConfig withGroupId(String groupId) {
        Map<String, Object> withGroup = new HashMap<>(kafka);
        withGroup.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        return new DirectoryClientConfig(withGroup, topics, roleAssignments, tenants, listener, pollTimeout);
    }

    boolean commitsOffsets() {
        return kafka.containsKey(ConsumerConfig.GROUP_ID_CONFIG);
    }

    /** The caller's properties with the client's own settings on top. */
    Map<String, Object> consumerProperties() {
        Map<String, Object> props = new HashMap<>(kafka);
        // Only what idsync committed: a transaction's records appear when it commits, never when it aborts.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Were the log start to move past a position (a retention change), start over from what is there.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A subscriber never creates idsync's topics: a wrong name must fail the start, not make a new topic.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return props;
    }
}
