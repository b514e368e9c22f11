package dev.idsync.roles.directory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps {@code roles.users}: whether each user is active, disabled or removed; older never overwrites newer. */
public final class UserStateWriter {

    // A minimal upsert (enabled unknown) keeps a disabled account disabled; anything else is what it says.
    private static final String UPSERT = """
            insert into users as u (tenant_id, user_id, state, observed_at) values (?, ?, ?, ?)
            on conflict (tenant_id, user_id) do update
                set state = case when ?::boolean is null and u.state = 'disabled' then 'disabled' else excluded.state end,
                    observed_at = excluded.observed_at
                where u.observed_at <= excluded.observed_at
            """;

    private UserStateWriter() {
    }

    public static List<UserObservation> fold(Collection<UserObservation> observations) {
        Map<String, UserObservation> newest = new LinkedHashMap<>();
        for (UserObservation o : observations) {
            newest.merge(o.tenantId() + "\u0000" + o.userId(), o, UserObservation::then);
        }
        return new ArrayList<>(newest.values());
    }

    /** {@code observations} must be folded (one per user). */
    public static void write(Connection connection, List<UserObservation> observations) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            for (UserObservation o : observations) {
                String state = o.removed() ? "removed" : Boolean.FALSE.equals(o.enabled()) ? "disabled" : "active";
                upsert.setString(1, o.tenantId());
                upsert.setString(2, o.userId());
                upsert.setString(3, state);
                upsert.setTimestamp(4, Timestamp.from(o.observedAt()));
                if (o.removed() || o.enabled() != null) {
                    upsert.setBoolean(5, !o.removed() && o.enabled());
                } else {
                    upsert.setNull(5, Types.BOOLEAN);
                }
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }
}
