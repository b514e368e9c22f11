package dev.idsync.infra.test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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

    /** Table name → md5 of all its rows (empty string for an empty table). */
    public static Map<String, String> of(Connection connection, String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement("select tablename from pg_tables where schemaname = ?")) {
            q.setString(1, schema);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        Map<String, String> fingerprint = new TreeMap<>();
        try (Statement s = connection.createStatement()) {
            for (String table : tables) {
                String qualified = "\"" + schema + "\".\"" + table + "\"";
                try (ResultSet rs = s.executeQuery("select coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from "
                        + qualified + " t")) {
                    rs.next();
                    fingerprint.put(table, rs.getString(1));
                }
            }
        }
        return fingerprint;
    }
}
