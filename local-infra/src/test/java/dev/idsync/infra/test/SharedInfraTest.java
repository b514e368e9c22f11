package dev.idsync.infra.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.events.Topics;
import dev.idsync.infra.IdsyncTopics;
import java.sql.Connection;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
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
            assertThat(topics).containsKeys(Topics.USERS, Topics.dlq(Topics.USERS), Topics.PROFILE_CHANGES);
            assertThat(topics).hasSize(Topics.ALL.size() * 2);
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(3));
        }
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
