package dev.idsync.audit;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Direct reads of the audit tables, for assertions the API must agree with. */
public final class AuditTestSupport {

    private AuditTestSupport() {
    }

    public static long count(AgroalDataSource dataSource, String tenant) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("select count(*) from audit.events where tenant_id = ?")) {
            q.setString(1, tenant);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The tenant's month tables, oldest first. */
    public static List<String> partitions(AgroalDataSource dataSource, String tenant) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select table_name from audit.partitions where tenant_id = ? order by range_start")) {
            q.setString(1, tenant);
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            return tables;
        }
    }
}
