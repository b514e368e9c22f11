package dev.idsync.infra.test.containers;

import dev.idsync.infra.KafkaTopics;
import dev.idsync.infra.TopicSpec;
import dev.idsync.infra.test.InfraBackend;
import java.util.Collection;
import java.util.UUID;
import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The opt-in backend ({@code -Didsync.infra=testcontainers}, the root POM's {@code testcontainers}
 * profile): the official Kafka image (same version as the kafka-clients on the class path) and the
 * official PostgreSQL image, for machines with a Docker engine. Loaded by name from
 * {@code SharedInfra} only when chosen, so the default path never loads a Testcontainers class.
 *
 * <p>Images can be overridden with system properties {@value #KAFKA_IMAGE_PROPERTY} and
 * {@value #POSTGRES_IMAGE_PROPERTY}.
 */
public final class ContainersBackend implements InfraBackend {

    public static final String KAFKA_IMAGE_PROPERTY = "idsync.kafka.image";
    public static final String POSTGRES_IMAGE_PROPERTY = "idsync.postgres.image";
    private static final String DATABASE = "idsync";

    @Override
    public Started startKafka(Collection<TopicSpec> topics) {
        String image = System.getProperty(KAFKA_IMAGE_PROPERTY, "apache/kafka:" + AppInfoParser.getVersion());
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(image))
                // Same single-node settings as the local broker (see KRaftProperties).
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_LOG_CLEANER_BACKOFF_MS", "200");
        kafka.start();
        try {
            KafkaTopics.create(kafka.getBootstrapServers(), topics);
        } catch (RuntimeException e) {
            kafka.stop();
            throw e;
        }
        return new Started(InfraBackend.kafkaConfig(kafka.getBootstrapServers()), kafka::stop);
    }

    @Override
    public Started startPostgres() {
        String image = System.getProperty(POSTGRES_IMAGE_PROPERTY, "postgres:15");
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
                .withDatabaseName(DATABASE)
                .withUsername(DATABASE)
                .withPassword(UUID.randomUUID().toString());
        postgres.start();
        return new Started(InfraBackend.postgresConfig(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword()),
                postgres::stop);
    }
}
