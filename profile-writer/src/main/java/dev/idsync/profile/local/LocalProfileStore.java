package dev.idsync.profile.local;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;

/** Reads and writes {@code profile.local_profiles} on a connection the caller's transaction owns. */
public final class LocalProfileStore {

    private LocalProfileStore() {
    }

    /**
     * The current fields. Updates read them while holding the user's lock ({@code UserLocks}), so no
     * row lock is needed; a reader without the lock sees the last committed state.
     */
    public static Optional<LocalFields> read(Connection c, String tenantId, String userId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                select employee_type, employment_status, remote_work, gdpr_restricted, gdpr_reason, entry_date, exit_date
                from local_profiles where tenant_id = ? and user_id = ?""")) {
            q.setString(1, tenantId);
            q.setString(2, userId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Date entry = rs.getDate("entry_date");
                Date exit = rs.getDate("exit_date");
                return Optional.of(new LocalFields(rs.getString("employee_type"), rs.getString("employment_status"),
                        (Boolean) rs.getObject("remote_work"), rs.getBoolean("gdpr_restricted"),
                        rs.getString("gdpr_reason"), entry == null ? null : entry.toLocalDate(),
                        exit == null ? null : exit.toLocalDate()));
            }
        }
    }

    public static void write(Connection c, String tenantId, String userId, LocalFields fields, String actor)
            throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("""
                insert into local_profiles as p (tenant_id, user_id, employee_type, employment_status, remote_work,
                    gdpr_restricted, gdpr_reason, entry_date, exit_date, updated_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (tenant_id, user_id) do update set
                    employee_type = excluded.employee_type, employment_status = excluded.employment_status,
                    remote_work = excluded.remote_work, gdpr_restricted = excluded.gdpr_restricted,
                    gdpr_reason = excluded.gdpr_reason, entry_date = excluded.entry_date,
                    exit_date = excluded.exit_date, updated_by = excluded.updated_by,
                    version = p.version + 1, updated_at = now()""")) {
            upsert.setString(1, tenantId);
            upsert.setString(2, userId);
            upsert.setString(3, fields.employeeType());
            upsert.setString(4, fields.employmentStatus());
            if (fields.remoteWork() == null) {
                upsert.setNull(5, Types.BOOLEAN);
            } else {
                upsert.setBoolean(5, fields.remoteWork());
            }
            upsert.setBoolean(6, fields.gdprRestricted());
            upsert.setString(7, fields.gdprReason());
            upsert.setObject(8, fields.entryDate());
            upsert.setObject(9, fields.exitDate());
            upsert.setString(10, actor);
            upsert.executeUpdate();
        }
    }
}
