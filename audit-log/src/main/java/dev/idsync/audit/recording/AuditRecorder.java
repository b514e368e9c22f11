package dev.idsync.audit.recording;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Inserts a batch of audit entries in one transaction. An entry whose ce_id is already recorded is
 * skipped: delivery is at-least-once and the poller may publish a change twice after a crash, but the
 * audit shows each change once.
 */
@ApplicationScoped
public class AuditRecorder {

    private static final String INSERT = """
            insert into events (ce_id, ce_type, ce_source, topic, tenant_id, object_id, run_id, occurred_at, payload)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            on conflict (ce_id) do nothing
            """;

    private final AgroalDataSource dataSource;

    AuditRecorder(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (AuditEntry e : entries) {
                    insert.setString(1, e.ceId());
                    insert.setString(2, e.ceType());
                    insert.setString(3, e.ceSource());
                    insert.setString(4, e.topic());
                    insert.setString(5, e.tenantId());
                    insert.setString(6, e.objectId());
                    insert.setString(7, e.runId());
                    insert.setTimestamp(8, Timestamp.from(e.occurredAt()));
                    insert.setString(9, e.payload());
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not record " + entries.size() + " audit entries", e);
        }
    }
}
