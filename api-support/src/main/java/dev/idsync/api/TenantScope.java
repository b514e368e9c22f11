package dev.idsync.api;

import jakarta.json.JsonString;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The idsync tenants a token may act on: every tenant for the operator role, else the tenants its
 * scope claim names ({@link ApiConfig.Tenants}). A token that names none may act on none: tenant access is
 * granted, never assumed.
 */
public record TenantScope(boolean global, Set<String> tenants) {

    private static final String PLACEHOLDER = "{tenant}";

    public TenantScope {
        tenants = Set.copyOf(tenants);
    }

    /**
     * @param claimValue the scope claim as the token holds it: a string, a JSON array or a collection of
     *                   strings, or null when the token lacks it
     * @param roles      the token's roles
     */
    public static TenantScope of(Object claimValue, Set<String> roles, ApiConfig.Tenants config) {
        if (roles.contains(config.operatorRole())) {
            return new TenantScope(true, Set.of());
        }
        String entry = config.entry();
        int at = entry.indexOf(PLACEHOLDER);
        if (at < 0) {
            throw new IllegalStateException("idsync.api.tenants.entry must contain " + PLACEHOLDER + ": " + entry);
        }
        String prefix = entry.substring(0, at);
        String suffix = entry.substring(at + PLACEHOLDER.length());
        Set<String> tenants = new LinkedHashSet<>();
        for (String value : strings(claimValue)) {
            if (value.length() > prefix.length() + suffix.length() && value.startsWith(prefix) && value.endsWith(suffix)) {
                tenants.add(value.substring(prefix.length(), value.length() - suffix.length()));
            }
        }
        return new TenantScope(false, tenants);
    }

    public boolean allows(String tenant) {
        return global || tenants.contains(tenant);
    }

    private static List<String> strings(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (claim instanceof Collection<?> values) { // jakarta.json.JsonArray is a List<JsonValue>
            return values.stream().map(TenantScope::text).toList();
        }
        return List.of(text(claim));
    }

    private static String text(Object value) {
        return value instanceof JsonString json ? json.getString() : String.valueOf(value);
    }
}
