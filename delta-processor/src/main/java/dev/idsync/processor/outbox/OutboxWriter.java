package dev.idsync.processor.outbox;

import dev.idsync.events.EventJson;
import dev.idsync.events.SyncEvent;
import dev.idsync.kafka.trace.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Appends what a transaction decided to {@code directory.outbox}, in that transaction, so an event exists
 * if and only if its change committed (docs/DESIGN.md invariant 11). {@link OutboxRelay} publishes it.
 * Each row keeps the writer's trace context ({@code trace_parent}, null when tracing is off).
 */
public final class OutboxWriter {

    // One statement for the whole list; seq follows the list's order, which is the order the store changed.
    private static final String APPEND = """
            insert into outbox (event_type, body, trace_parent)
            select e.type, e.body, ? from unnest(?::text[], ?::text[]) with ordinality as e(type, body, n) order by e.n
            """;

    private OutboxWriter() {
    }

    public static void append(Connection connection, List<SyncEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        String[] types = new String[events.size()];
        String[] bodies = new String[events.size()];
        for (int i = 0; i < types.length; i++) {
            SyncEvent event = events.get(i);
            types[i] = event.ceType();
            bodies[i] = new String(EventJson.write(event), StandardCharsets.UTF_8);
        }
        try (PreparedStatement append = connection.prepareStatement(APPEND)) {
            append.setString(1, TraceHeaders.currentTraceparent());
            append.setArray(2, connection.createArrayOf("text", types));
            append.setArray(3, connection.createArrayOf("text", bodies));
            append.executeUpdate();
        }
    }
}
