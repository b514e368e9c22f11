package dev.idsync.profile;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The stored local-only fields of a user, straight from profile.local_profiles. */
public final class LocalRows {

    private LocalRows() {
    }

    public static Optional<Map<String, Object>> of(AgroalDataSource dataSource, String tenant, String userId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("""
                     select employee_type, employment_status, remote_work, gdpr_restricted, gdpr_reason,
                            entry_date::text, exit_date::text, version, updated_by
                     from profile.local_profiles where tenant_id = ? and user_id = ?""")) {
            q.setString(1, tenant);
            q.setString(2, userId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                return Optional.of(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
