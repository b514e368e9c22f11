package dev.idsync.infra.test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a service's schema holds, as one comparable value per table (its rows, hashed in a fixed order): a
 * test that a refused request "wrote nothing" compares the fingerprint before and after, whatever tables
 * the request would have touched.
 */
public final class SchemaFingerprint {

    private SchemaFingerprint() {
    }

    /**
     * Table name → md5 of the tenant's rows (tables with a {@code tenant_id} column) or of all rows (the
     * others); empty string for none. Scoped to one tenant so that other tests' tenants may go on changing.
     */
    public static Map<String, String> of(Connection connection, String schema, String tenantId) throws SQLException {
        Map<String, Boolean> tables = new TreeMap<>();
        try (PreparedStatement q = connection.prepareStatement("""
                select t.tablename, exists (select 1 from information_schema.columns c where c.table_schema = t.schemaname
                       and c.table_name = t.tablename and c.column_name = 'tenant_id')
                from pg_tables t where t.schemaname = ?""")) {
            q.setString(1, schema);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    tables.put(rs.getString(1), rs.getBoolean(2));
                }
            }
        }
        Map<String, String> fingerprint = new TreeMap<>();
        for (Map.Entry<String, Boolean> table : tables.entrySet()) {
            String qualified = "\"" + schema + "\".\"" + table.getKey() + "\"";
            try (PreparedStatement q = connection.prepareStatement("select coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from "
                    + qualified + " t" + (table.getValue() ? " where t.tenant_id = ?" : ""))) {
                if (table.getValue()) {
                    q.setString(1, tenantId);
                }
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    fingerprint.put(table.getKey(), rs.getString(1));
                }
            }
        }
        return fingerprint;
    }
}
