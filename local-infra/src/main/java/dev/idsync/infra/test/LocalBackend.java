package dev.idsync.infra.test;

import dev.idsync.infra.LocalKafka;
import dev.idsync.infra.LocalPostgres;
import dev.idsync.infra.TopicSpec;
import java.util.Collection;

/** The default: a broker JVM and a PostgreSQL cluster on this machine, on free ports. */
final class LocalBackend implements InfraBackend {

    @Override
    public Started startKafka(Collection<TopicSpec> topics) {
        LocalKafka kafka = LocalKafka.start(0);
        try {
            kafka.createTopics(topics);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return new Started(InfraBackend.kafkaConfig(kafka.bootstrapServers()), kafka);
    }

    @Override
    public Started startPostgres() {
        LocalPostgres postgres = LocalPostgres.start(0);
        return new Started(InfraBackend.postgresConfig(postgres.jdbcUrl(), postgres.username(), postgres.password()), postgres);
    }
}
