package dev.idsync.roles.mapping;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The mappings in force for one tenant, with the pattern expanded for the tenant's name so a group's
 * display name maps to a role by one lookup.
 *
 * @param origin {@code config} (idsync.yaml) or {@code api} (stored in the roles schema)
 */
public record TenantMappings(String tenantId, String tenantName, RoleMappings mappings, String origin) {

    /** The role a group confers and its access level (null for pattern mappings, which set none). */
    public record MappedRole(String role, String accessLevel) {
    }

    public Optional<MappedRole> roleFor(String groupId, String displayName) {
        GroupRole explicit = mappings.groups().get(groupId);
        if (explicit != null) {
            return Optional.of(new MappedRole(explicit.role(), explicit.access()));
        }
        if (displayName == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(patternNames().get(displayName.toLowerCase(Locale.ROOT)))
                .map(role -> new MappedRole(role, null));
    }

    /** Expanded group names, lower-cased (Entra display names compare case-insensitively here). */
    private Map<String, String> patternNames() {
        Map<String, String> names = new HashMap<>();
        for (String role : mappings.roles()) {
            String name = mappings.pattern().replace("{tenant}", tenantName).replace("{role}", role);
            names.put(name.toLowerCase(Locale.ROOT), role);
        }
        return names;
    }

    /**
     * The application role members of a directory role hold ({@code directoryRoles}, off when empty): by the
     * role's template id (the same in every tenant), else by its display name, both case-insensitively.
     */
    public Optional<String> roleForDirectoryRole(String templateId, String displayName) {
        for (Map.Entry<String, String> entry : mappings.directoryRoles().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(templateId == null ? "" : templateId)) {
                return Optional.of(entry.getValue());
            }
        }
        for (Map.Entry<String, String> entry : mappings.directoryRoles().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(displayName == null ? "" : displayName)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** Whether any directory role is mapped (the feature is off by default). */
    public boolean mapsDirectoryRoles() {
        return !mappings.directoryRoles().isEmpty();
    }

    /** Whether members of nested groups hold a mapped group's role ({@code role-mappings.nested}). */
    public boolean transitive() {
        return !RoleMappings.DIRECT.equals(mappings.nestedMode());
    }

    /** Whether {@code role} may be assigned in this tenant. */
    public boolean knows(String role) {
        return mappings.roles().contains(role) || mappings.defaultRole().equals(role);
    }
}
