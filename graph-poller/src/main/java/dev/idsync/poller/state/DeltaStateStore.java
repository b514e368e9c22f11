package dev.idsync.poller.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Delta tokens, checkpoints and the token history ({@code poller.delta_state}, {@code delta_token_history}).
 * Every write here happens after Kafka acknowledged the events it stands for, and goes in one transaction
 * with the run's progress, so state and run never disagree.
 */
@ApplicationScoped
public class DeltaStateStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgroalDataSource dataSource;

    DeltaStateStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DeltaState load(String tenantId, String resource) {
        String sql = """
                select delta_link, token_epoch, token_select, token_updated_at, checkpoint_link, checkpoint_epoch,
                       checkpoint_select, checkpoint_run_id, checkpoint_pages, checkpoint_at, checkpoint_initial,
                       last_observed_at
                from delta_state where tenant_id = ? and resource = ?""";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, tenantId);
            q.setString(2, resource);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return DeltaState.NONE;
                }
                Optional<DeltaState.Token> token = Optional.ofNullable(rs.getString("delta_link"))
                        .map(link -> new DeltaState.Token(link, longOf(rs, "token_epoch"), stringOf(rs, "token_select"),
                                instantOf(rs, "token_updated_at")));
                Optional<DeltaState.Checkpoint> checkpoint = Optional.ofNullable(rs.getString("checkpoint_link"))
                        .map(link -> new DeltaState.Checkpoint(link, longOf(rs, "checkpoint_epoch"),
                                stringOf(rs, "checkpoint_select"), stringOf(rs, "checkpoint_run_id"),
                                longOf(rs, "checkpoint_pages"), instantOf(rs, "checkpoint_at"),
                                booleanOf(rs, "checkpoint_initial")));
                return new DeltaState(token, checkpoint, Optional.ofNullable(instantOf(rs, "last_observed_at")));
            }
        } catch (SQLException e) {
            throw Jdbc.failure("read the delta state of " + tenantId + "/" + resource, e);
        }
    }

    /** The round continues at {@code nextLink}: every page before it is in Kafka. */
    public void saveCheckpoint(String tenantId, String resource, DeltaState.Checkpoint checkpoint, Instant lastObservedAt,
                               RunProgress progress) {
        String sql = """
                insert into delta_state (tenant_id, resource, checkpoint_link, checkpoint_epoch, checkpoint_select,
                                         checkpoint_run_id, checkpoint_pages, checkpoint_at, checkpoint_initial,
                                         last_observed_at)
                values (?, ?, ?, ?, ?, ?, ?, now(), ?, ?)
                on conflict (tenant_id, resource) do update set
                    checkpoint_link = excluded.checkpoint_link, checkpoint_epoch = excluded.checkpoint_epoch,
                    checkpoint_select = excluded.checkpoint_select, checkpoint_run_id = excluded.checkpoint_run_id,
                    checkpoint_pages = excluded.checkpoint_pages, checkpoint_at = excluded.checkpoint_at,
                    checkpoint_initial = excluded.checkpoint_initial, last_observed_at = excluded.last_observed_at""";
        inTransaction("store the checkpoint of " + tenantId + "/" + resource, c -> {
            try (PreparedStatement upsert = c.prepareStatement(sql)) {
                upsert.setString(1, tenantId);
                upsert.setString(2, resource);
                upsert.setString(3, checkpoint.nextLink());
                upsert.setLong(4, checkpoint.epoch());
                upsert.setString(5, checkpoint.select());
                upsert.setString(6, checkpoint.runId());
                upsert.setLong(7, checkpoint.pages());
                upsert.setBoolean(8, checkpoint.initialRound());
                upsert.setTimestamp(9, Timestamp.from(lastObservedAt));
                upsert.executeUpdate();
            }
            writeProgress(c, progress);
        });
    }

    /**
     * The round is complete: {@code deltaLink} becomes the token, the token it replaces goes to the history,
     * and the checkpoint is cleared.
     */
    public void completeRound(String tenantId, String resource, DeltaState.Token token, Instant lastObservedAt,
                              RunProgress progress) {
        String upsert = """
                insert into delta_state (tenant_id, resource, delta_link, token_epoch, token_select, token_updated_at,
                                         last_observed_at)
                values (?, ?, ?, ?, ?, now(), ?)
                on conflict (tenant_id, resource) do update set
                    delta_link = excluded.delta_link, token_epoch = excluded.token_epoch,
                    token_select = excluded.token_select, token_updated_at = excluded.token_updated_at,
                    last_observed_at = excluded.last_observed_at,
                    checkpoint_link = null, checkpoint_epoch = null, checkpoint_select = null,
                    checkpoint_run_id = null, checkpoint_pages = null, checkpoint_at = null,
                    checkpoint_initial = null""";
        inTransaction("store the delta token of " + tenantId + "/" + resource, c -> {
            archive(c, tenantId, resource, "replaced by the token of run " + progress.runId());
            try (PreparedStatement q = c.prepareStatement(upsert)) {
                q.setString(1, tenantId);
                q.setString(2, resource);
                q.setString(3, token.deltaLink());
                q.setLong(4, token.epoch());
                q.setString(5, token.select());
                q.setTimestamp(6, Timestamp.from(lastObservedAt));
                q.executeUpdate();
            }
            writeProgress(c, progress);
        });
    }

    /**
     * Graph will not continue from the stored token (expired, 410) or it no longer fits the query (the
     * $select changed): keep it as a backup, and forget it and any checkpoint so a new initial round starts.
     */
    public void abandon(String tenantId, String resource, String reason) {
        String clear = """
                update delta_state set delta_link = null, token_epoch = null, token_select = null,
                    token_updated_at = null, checkpoint_link = null, checkpoint_epoch = null, checkpoint_select = null,
                    checkpoint_run_id = null, checkpoint_pages = null, checkpoint_at = null, checkpoint_initial = null
                where tenant_id = ? and resource = ?""";
        inTransaction("abandon the delta token of " + tenantId + "/" + resource, c -> {
            archive(c, tenantId, resource, reason);
            try (PreparedStatement q = c.prepareStatement(clear)) {
                q.setString(1, tenantId);
                q.setString(2, resource);
                q.executeUpdate();
            }
        });
    }

    /** Progress only (dry runs and capped runs store no state). */
    public void saveProgress(RunProgress progress) {
        inTransaction("store the progress of run " + progress.runId(), c -> writeProgress(c, progress));
    }

    private static void archive(Connection c, String tenantId, String resource, String reason) throws SQLException {
        String sql = """
                insert into delta_token_history (tenant_id, resource, delta_link, epoch, token_select, stored_at, reason)
                select tenant_id, resource, delta_link, token_epoch, token_select, token_updated_at, ?
                from delta_state where tenant_id = ? and resource = ? and delta_link is not null""";
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, reason);
            q.setString(2, tenantId);
            q.setString(3, resource);
            q.executeUpdate();
        }
    }

    static void writeProgress(Connection c, RunProgress progress) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "update sync_runs set pages = ?, counts = ?::jsonb, updated_at = now() where run_id = ?")) {
            q.setLong(1, progress.pages());
            q.setString(2, countsJson(progress.counts()));
            q.setString(3, progress.runId());
            q.executeUpdate();
        }
    }

    static String countsJson(java.util.Map<String, Long> counts) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(counts));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(String what, Work work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Jdbc.failure(what, e);
        }
    }

    private static long longOf(ResultSet rs, String column) {
        try {
            return rs.getLong(column);
        } catch (SQLException e) {
            throw Jdbc.failure("read " + column, e);
        }
    }

    private static boolean booleanOf(ResultSet rs, String column) {
        try {
            return rs.getBoolean(column);
        } catch (SQLException e) {
            throw Jdbc.failure("read " + column, e);
        }
    }

    private static String stringOf(ResultSet rs, String column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            throw Jdbc.failure("read " + column, e);
        }
    }

    private static java.time.Instant instantOf(ResultSet rs, String column) {
        try {
            Timestamp t = rs.getTimestamp(column);
            return t == null ? null : t.toInstant();
        } catch (SQLException e) {
            throw Jdbc.failure("read " + column, e);
        }
    }
}
