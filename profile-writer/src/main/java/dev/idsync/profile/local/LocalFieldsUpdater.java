package dev.idsync.profile.local;

import dev.idsync.events.ProfileUpdate;
import dev.idsync.events.ProfileUpdated;
import dev.idsync.events.SyncEvent;
import io.agroal.api.AgroalDataSource;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Stores a user's local-only fields and publishes {@code profile.updated} with before and after and the
 * acting user.
 *
 * <p>Order: the row is written and locked first, then the event is published in a Kafka transaction,
 * and only after Kafka committed is the database transaction committed. A failure before that rolls
 * the row back, so the store never holds a change the topic does not show. (The remaining window, a
 * crash between the Kafka commit and the database commit, leaves an event whose change is not stored;
 * the pessimistic Entra flow of the profile-writer issue re-reads and republishes on retry.)
 */
@ApplicationScoped
public class LocalFieldsUpdater {

    private final AgroalDataSource dataSource;
    private final KafkaTransactions<SyncEvent> profileChanges;
    private static final Duration KAFKA_COMMIT_TIMEOUT = Duration.ofSeconds(30);

    private final Clock clock = Clock.systemUTC();

    LocalFieldsUpdater(AgroalDataSource dataSource, @Channel("profile-changes") KafkaTransactions<SyncEvent> profileChanges) {
        this.dataSource = dataSource;
        this.profileChanges = profileChanges;
    }

    public ProfileUpdated update(String tenantId, String userId, LocalFields fields, String actor, String requestId) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                LocalFields before = LocalProfileStore.lockAndRead(c, tenantId, userId).orElse(LocalFields.NONE);
                LocalProfileStore.write(c, tenantId, userId, fields, actor);
                var event = new ProfileUpdated(tenantId, userId, requestId, 0, clock.instant(),
                        new ProfileUpdate(actor, before.asMap(), fields.asMap()));
                profileChanges.withTransaction(tx -> {
                    tx.send(KafkaRecord.of(event.key(), (SyncEvent) event));
                    return Uni.createFrom().voidItem();
                }).await().atMost(KAFKA_COMMIT_TIMEOUT);
                c.commit();
                return event;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not store the local profile of " + userId, e);
        }
    }
}
