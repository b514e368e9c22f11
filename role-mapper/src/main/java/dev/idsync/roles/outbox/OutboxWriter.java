package dev.idsync.roles.outbox;

import dev.idsync.roles.assignment.Assignment;
import dev.idsync.kafka.trace.TraceHeaders;
import dev.idsync.roles.assignment.AssignmentChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Appends the events for role changes to {@code roles.outbox} in the transaction that makes the changes,
 * so an event exists if and only if its change was committed. {@link OutboxRelay} publishes them. Each row
 * keeps the writer's trace context ({@code trace_parent}, null when tracing is off).
 */
public final class OutboxWriter {

    private static final String INSERT = """
            insert into outbox (granted, tenant_id, user_id, run_id, epoch, observed_at, role, source, group_id, access_level,
                                path, actor, trace_parent)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private OutboxWriter() {
    }

    public static void append(Connection connection, List<AssignmentChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        String traceparent = TraceHeaders.currentTraceparent();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (AssignmentChange c : changes) {
                Assignment a = c.assignment();
                insert.setBoolean(1, c.granted());
                insert.setString(2, c.user().tenantId());
                insert.setString(3, c.user().userId());
                insert.setString(4, c.cause().runId());
                insert.setLong(5, c.cause().epoch());
                insert.setTimestamp(6, Timestamp.from(c.cause().observedAt()));
                insert.setString(7, a.role());
                insert.setString(8, a.source());
                insert.setString(9, a.groupId().isEmpty() ? null : a.groupId());
                insert.setString(10, a.accessLevel());
                // The why travels with grants only: a revocation names the row it ends (its key), nothing more.
                insert.setArray(11, c.granted() && a.path() != null ? connection.createArrayOf("text", a.path().toArray()) : null);
                insert.setString(12, c.cause().actor());
                insert.setString(13, traceparent);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
