package dev.idsync.processor.users;

import dev.idsync.events.EventJson;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Applies a batch of user events to {@code directory.users} in one transaction with one batched
 * statement, instead of a round trip per record.
 *
 * <p>Why the batch is folded per user first ({@link FoldedUser}): PostgreSQL refuses an upsert that
 * touches the same row twice in one statement, and one row change per user is all the store needs. An event older
 * than what the store holds never overwrites it (the {@code where} on {@code observed_at}), and one of
 * the same age only if it says something new (Graph's {@code Date} has whole seconds, so two changes
 * can share one), so a replay of the topic, or an old observation arriving late, changes nothing, not
 * even {@code updated_at}.
 */
@ApplicationScoped
public class UserBatchApplier {

    private static final Logger LOG = Logger.getLogger(UserBatchApplier.class);

    private static final String UPSERT = """
            insert into users as u (tenant_id, object_id, attributes, state, removal_reason, observed_at, run_id, epoch)
            values (?, ?, ?::jsonb, ?, ?, ?, ?, ?)
            on conflict (tenant_id, object_id) do update set
                attributes = u.attributes || excluded.attributes,
                state = excluded.state,
                removal_reason = excluded.removal_reason,
                observed_at = excluded.observed_at,
                run_id = excluded.run_id,
                epoch = excluded.epoch,
                updated_at = now()
            where u.observed_at < excluded.observed_at
               or (u.observed_at = excluded.observed_at
                   and (excluded.state is distinct from u.state
                        or excluded.removal_reason is distinct from u.removal_reason
                        or u.attributes || excluded.attributes <> u.attributes))
            """;

    private final AgroalDataSource dataSource;

    UserBatchApplier(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Returns how many users the batch touched (after folding). */
    public int apply(List<SyncEvent> batch) {
        Map<String, FoldedUser> perUser = new LinkedHashMap<>();
        for (SyncEvent event : batch) {
            if (event instanceof UserUpserted || event instanceof UserRemoved) {
                FoldedUser folded = perUser.get(event.key());
                if (folded == null) {
                    perUser.put(event.key(), FoldedUser.of(event));
                } else {
                    folded.add(event);
                }
            } else {
                LOG.debugf("skipping %s on the users topic", event.ceType());
            }
        }
        if (perUser.isEmpty()) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                for (FoldedUser user : perUser.values()) {
                    bind(upsert, user);
                    upsert.addBatch();
                }
                upsert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not apply " + perUser.size() + " user changes", e);
        }
        return perUser.size();
    }

    private static void bind(PreparedStatement upsert, FoldedUser user) throws SQLException {
        upsert.setString(1, user.tenantId());
        upsert.setString(2, user.objectId());
        upsert.setString(3, EventJson.mapper().valueToTree(user.attributes()).toString());
        upsert.setString(4, user.state().dbValue());
        upsert.setString(5, user.removalReason());
        upsert.setTimestamp(6, Timestamp.from(user.observedAt()));
        upsert.setString(7, user.runId());
        upsert.setLong(8, user.epoch());
    }
}
