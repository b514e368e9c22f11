package dev.idsync.roles.mapping;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tenant's Entra group → application role mappings (references 000 and 002), in the shape of
 * {@code idsync.yaml}'s {@code role-mappings} and of the API's body.
 *
 * @param pattern     group display name pattern, {@code {tenant}} = the tenant's name, {@code {role}} = a role
 * @param roles       the roles found through the pattern (and the only roles that may be assigned)
 * @param defaultRole every active, in-scope user holds it
 * @param groups      explicit mappings by group object id; they win over the pattern
 * @param nested      {@value #TRANSITIVE} (members of nested groups count, the default) or {@value #DIRECT}
 *                    (direct members only, Entra's app-assignment semantics); null = transitive
 * @param directoryRoles optional: Entra directory role (template id or display name) → application role; empty = off
 */
public record RoleMappings(String pattern, List<String> roles, String defaultRole, Map<String, GroupRole> groups,
        String nested, Map<String, String> directoryRoles) {

    public static final String TRANSITIVE = "transitive";
    public static final String DIRECT = "direct";

    public RoleMappings {
        roles = roles == null ? null : List.copyOf(roles);
        groups = groups == null ? Map.of() : new TreeMap<>(groups);
        directoryRoles = directoryRoles == null ? Map.of() : new TreeMap<>(directoryRoles);
    }

    /** The nesting mode in force: {@code nested}, or transitive when not set. */
    public String nestedMode() {
        return nested == null ? TRANSITIVE : nested;
    }
}
