package dev.idsync.processor.outbox;

import dev.idsync.events.EventJson;
import dev.idsync.events.SyncEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Appends what a transaction decided to {@code directory.outbox}, in that transaction, so an event exists
 * if and only if its change committed (docs/DESIGN.md invariant 11). {@link OutboxRelay} publishes it.
 */
public final class OutboxWriter {

    // One statement for the whole list; seq follows the list's order, which is the order the store changed.
    private static final String APPEND = """
            insert into outbox (event_type, body)
            select e.type, e.body from unnest(?::text[], ?::text[]) with ordinality as e(type, body, n) order by e.n
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
            append.setArray(1, connection.createArrayOf("text", types));
            append.setArray(2, connection.createArrayOf("text", bodies));
            append.executeUpdate();
        }
    }
}
