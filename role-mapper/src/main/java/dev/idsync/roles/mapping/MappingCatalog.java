package dev.idsync.roles.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.config.IdsyncConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The mappings in force per tenant: the ones stored over the API in {@code roles.role_mappings}, else the
 * tenant's {@code idsync.yaml} mappings. Only tenants of idsync.yaml have mappings at all (their name
 * fills the pattern); events of other tenants are kept as facts but give no roles.
 *
 * <p>Read from the database on every evaluation rather than cached, so an edit through any instance
 * applies everywhere at once.
 */
@ApplicationScoped
public class MappingCatalog {

    private final IdsyncConfig config;
    private final ObjectMapper json;

    MappingCatalog(IdsyncConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        config.tenants().forEach((id, tenant) -> {
            String nested = tenant.roleMappings().nested();
            if (!RoleMappings.TRANSITIVE.equals(nested) && !RoleMappings.DIRECT.equals(nested)) {
                throw new IllegalStateException("idsync.tenants." + id + ".role-mappings.nested is '" + nested
                        + "': must be 'transitive' or 'direct'");
            }
        });
    }

    public boolean configured(String tenantId) {
        return config.tenants().containsKey(tenantId);
    }

    public Collection<String> tenants() {
        return config.tenants().keySet();
    }

    /** The mappings for the tenants asked for; tenants that are not configured are absent. */
    public Map<String, TenantMappings> load(Connection connection, Collection<String> tenantIds) throws SQLException {
        Map<String, TenantMappings> result = new HashMap<>();
        Map<String, RoleMappings> stored = stored(connection, tenantIds);
        for (String tenantId : tenantIds) {
            IdsyncConfig.Tenant tenant = config.tenants().get(tenantId);
            if (tenant == null) {
                continue;
            }
            RoleMappings api = stored.get(tenantId);
            result.put(tenantId, api != null
                    ? new TenantMappings(tenantId, tenant.name(), api, "api")
                    : new TenantMappings(tenantId, tenant.name(), fromConfig(tenant.roleMappings()), "config"));
        }
        return result;
    }

    public Optional<TenantMappings> load(Connection connection, String tenantId) throws SQLException {
        return Optional.ofNullable(load(connection, java.util.List.of(tenantId)).get(tenantId));
    }

    public void store(Connection connection, String tenantId, RoleMappings mappings, String actor) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                insert into role_mappings (tenant_id, document, updated_at, updated_by) values (?, ?::jsonb, ?, ?)
                on conflict (tenant_id) do update
                    set document = excluded.document, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """)) {
            upsert.setString(1, tenantId);
            upsert.setString(2, json.writeValueAsString(mappings));
            upsert.setTimestamp(3, Timestamp.from(Instant.now()));
            upsert.setString(4, actor);
            upsert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write role mappings of " + tenantId, e);
        }
    }

    private Map<String, RoleMappings> stored(Connection connection, Collection<String> tenantIds) throws SQLException {
        Map<String, RoleMappings> stored = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "select tenant_id, document from role_mappings where tenant_id = any (?)")) {
            query.setArray(1, connection.createArrayOf("text", tenantIds.toArray()));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getString(1), json.readValue(rs.getString(2), RoleMappings.class));
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored role mappings do not parse", e);
        }
        return stored;
    }

    static RoleMappings fromConfig(IdsyncConfig.RoleMappings config) {
        Map<String, GroupRole> groups = new LinkedHashMap<>();
        config.groups().forEach((id, mapping) -> groups.put(id, new GroupRole(mapping.role(), mapping.accessLevel())));
        return new RoleMappings(config.pattern(), config.roles(), config.defaultRole(), groups, config.nested(),
                config.directoryRoles());
    }
}
