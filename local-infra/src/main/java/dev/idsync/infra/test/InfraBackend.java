package dev.idsync.infra.test;

import dev.idsync.infra.TopicSpec;
import java.util.Collection;
import java.util.Map;

/**
 * Where the tests' Kafka and PostgreSQL come from: local processes ({@link LocalBackend}, the default)
 * or containers ({@code dev.idsync.infra.test.containers.ContainersBackend}, opt-in).
 */
public interface InfraBackend {

    /** Starts a broker and creates {@code topics}; the config holds {@code kafka.bootstrap.servers}. */
    Started startKafka(Collection<TopicSpec> topics);

    /** Starts PostgreSQL with database idsync; the config holds Quarkus' datasource URL and credentials. */
    Started startPostgres();

    /**
     * A started server: the Quarkus configuration that points at it, and how to stop it.
     *
     * @param config configuration properties for the application under test
     * @param server stops the server and removes its data
     */
    record Started(Map<String, String> config, AutoCloseable server) {
        public Started {
            config = Map.copyOf(config);
        }
    }

    static Map<String, String> kafkaConfig(String bootstrapServers) {
        return Map.of("kafka.bootstrap.servers", bootstrapServers);
    }

    static Map<String, String> postgresConfig(String jdbcUrl, String username, String password) {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", username,
                "quarkus.datasource.password", password);
    }
}
