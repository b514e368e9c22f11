package dev.idsync.audit.query;

import dev.idsync.audit.chain.StoredEvent;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads audit rows by keyset on seq: a page is "the next {@code limit} rows after seq X", never an offset,
 * so a page costs the same at row 10 and at row 10 million and rows committed meanwhile neither repeat
 * nor shift a page (per tenant, seq is handed out in commit order under the chain-head lock).
 */
@ApplicationScoped
public class AuditEventReader {

    private static final String COLUMNS = """
            select tenant_id, seq, recorded_at, ce_id, ce_type, ce_source, topic, object_id, actor, run_id,
                   occurred_at, payload, hash from events where\s""";
    private static final int STREAM_FETCH = 500;

    /** Receives streamed rows one by one. */
    @FunctionalInterface
    public interface RowSink {
        void accept(StoredEvent row) throws Exception;
    }

    private final AgroalDataSource dataSource;

    AuditEventReader(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Up to {@code limit} rows with seq greater than {@code afterSeq}, in seq order. */
    public List<StoredEvent> page(AuditFilter filter, long afterSeq, int limit) {
        List<Object> parameters = AuditFilter.parameters();
        String sql = COLUMNS + filter.where(parameters) + " and seq > ? order by seq limit ?";
        parameters.add(afterSeq);
        parameters.add(limit);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = prepare(connection, sql, parameters)) {
            List<StoredEvent> rows = new ArrayList<>(limit);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("could not query the audit of " + filter.tenant(), e);
        }
    }

    /**
     * Every matching row in seq order through a server-side cursor: at most {@value #STREAM_FETCH} rows are
     * in memory at once, however many match. The sink may block (a slow HTTP client); the cursor waits.
     */
    public long stream(AuditFilter filter, RowSink sink) throws Exception {
        List<Object> parameters = AuditFilter.parameters();
        String sql = COLUMNS + filter.where(parameters) + " order by seq";
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // a cursor needs a transaction; otherwise the driver reads everything
            connection.setReadOnly(true);
            try (PreparedStatement query = prepare(connection, sql, parameters)) {
                query.setFetchSize(STREAM_FETCH);
                long count = 0;
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(read(rs));
                        count++;
                    }
                }
                return count;
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
            }
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<Object> parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        return statement;
    }

    private static StoredEvent read(ResultSet rs) throws SQLException {
        return new StoredEvent(rs.getString("tenant_id"), rs.getLong("seq"),
                rs.getObject("recorded_at", OffsetDateTime.class).toInstant(), rs.getString("ce_id"),
                rs.getString("ce_type"), rs.getString("ce_source"), rs.getString("topic"), rs.getString("object_id"),
                rs.getString("actor"), rs.getString("run_id"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getBytes("payload"),
                rs.getBytes("hash"));
    }
}
