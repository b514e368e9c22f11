package dev.idsync.roles.directory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps {@code roles.groups}: each group's display name (for pattern mappings) and whether it is gone. */
public final class GroupWriter {

    private static final String UPSERT = """
            insert into groups as g (tenant_id, group_id, display_name, removed, observed_at) values (?, ?, ?, ?, ?)
            on conflict (tenant_id, group_id) do update
                set display_name = coalesce(excluded.display_name, g.display_name),
                    removed = excluded.removed, observed_at = excluded.observed_at
                where g.observed_at <= excluded.observed_at
            """;

    private GroupWriter() {
    }

    public static List<GroupObservation> fold(Collection<GroupObservation> observations) {
        Map<String, GroupObservation> newest = new LinkedHashMap<>();
        for (GroupObservation o : observations) {
            newest.merge(o.tenantId() + "\u0000" + o.groupId(), o, GroupObservation::then);
        }
        return new ArrayList<>(newest.values());
    }

    public static void write(Connection connection, List<GroupObservation> observations) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            for (GroupObservation o : observations) {
                upsert.setString(1, o.tenantId());
                upsert.setString(2, o.groupId());
                upsert.setString(3, o.displayName());
                upsert.setBoolean(4, o.removed());
                upsert.setTimestamp(5, Timestamp.from(o.observedAt()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }
}
