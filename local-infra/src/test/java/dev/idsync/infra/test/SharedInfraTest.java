package dev.idsync.infra.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.events.Topics;
import dev.idsync.infra.IdsyncTopics;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** The Quarkus test resources as Quarkus drives them: start, stop, start again. */
class SharedInfraTest {

    @Test
    void kafkaResourceSharesOneBrokerWithEveryIdsyncTopic() throws Exception {
        KafkaResource first = new KafkaResource();
        Map<String, String> config = first.start();
        first.stop(); // a Quarkus restart: the broker must survive it
        Map<String, String> again = new KafkaResource().start();

        assertThat(config).containsOnlyKeys("kafka.bootstrap.servers");
        assertThat(again).isEqualTo(config);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap.servers")))) {
            Map<String, TopicDescription> topics = admin.describeTopics(IdsyncTopics.withDeadLetters()).allTopicNames().get();
            assertThat(topics).containsKeys(Topics.USERS, Topics.dlq(Topics.USERS), Topics.PROFILE_CHANGES,
                    Topics.GRAPH_OBSERVATIONS);
            assertThat(topics).hasSize(Topics.ALL.size() * 2);
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(3));

            Map<String, String> cleanup = cleanupPolicies(admin, IdsyncTopics.withDeadLetters());
            for (String topic : IdsyncTopics.withDeadLetters()) {
                assertThat(cleanup.get(topic)).as(topic).isEqualTo(Topics.compacted(topic) ? "compact" : "delete");
            }
            assertThat(Topics.COMPACTED).allSatisfy(topic -> assertThat(cleanup).containsEntry(topic, "compact"));
        }
    }

    private static Map<String, String> cleanupPolicies(Admin admin, List<String> topics) throws Exception {
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        return admin.describeConfigs(resources).all().get().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().name(), e -> e.getValue().get("cleanup.policy").value()));
    }

    @Test
    void postgresResourceSharesOneClusterAndItsCredentialsWork() throws Exception {
        PostgresResource first = new PostgresResource();
        Map<String, String> config = first.start();
        first.stop();
        Map<String, String> again = new PostgresResource().start();

        assertThat(config).containsOnlyKeys("quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password");
        assertThat(again).isEqualTo(config);
        Properties credentials = new Properties();
        credentials.setProperty("user", config.get("quarkus.datasource.username"));
        credentials.setProperty("password", config.get("quarkus.datasource.password"));
        try (Connection c = new org.postgresql.Driver().connect(config.get("quarkus.datasource.jdbc.url"), credentials)) {
            assertThat(c.getCatalog()).isEqualTo("idsync");
        }
    }
}
