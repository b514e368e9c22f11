package dev.idsync.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The services' {@link DatabaseRetry}, configured by {@code idsync.db.retry.*} and counted as
 * {@code idsync_db_retries_total{work}} (a rising rate means the database is failing underneath).
 */
public class DatabaseRetryProducer {

    @Produces
    @Singleton
    DatabaseRetry databaseRetry(
            @ConfigProperty(name = "idsync.db.retry.initial-backoff", defaultValue = "100ms") Duration initialBackoff,
            @ConfigProperty(name = "idsync.db.retry.max-backoff", defaultValue = "5s") Duration maxBackoff,
            @ConfigProperty(name = "idsync.db.retry.max-wait", defaultValue = "5m") Duration maxWait,
            MeterRegistry registry) {
        return new DatabaseRetry(initialBackoff, maxBackoff, maxWait, (work, attempt, wait, reason) ->
                Counter.builder("idsync.db.retries").description("units of database work repeated after a transient failure")
                        .tag("work", work).register(registry).increment());
    }
}
