package dev.idsync.config;

import java.util.List;
import java.util.Map;

/**
 * The Graph attributes read per resource type when a tenant does not say otherwise: seed 000's synced
 * field list for users plus what the processor and role-mapper need, the mandatory properties of
 * reference 003 for groups and directory roles.
 */
public final class SelectDefaults {

    public static final List<String> USERS = List.of(
            "id", "userPrincipalName", "displayName", "givenName", "surname", "mail", "jobTitle", "department",
            "companyName", "officeLocation", "mobilePhone", "businessPhones", "streetAddress", "city",
            "postalCode", "state", "country", "usageLocation", "preferredLanguage", "employeeId",
            "accountEnabled", "createdDateTime");

    public static final List<String> GROUPS = List.of(
            "id", "displayName", "mailNickname", "description", "securityEnabled", "groupTypes", "members");

    public static final List<String> DIRECTORY_ROLES = List.of(
            "id", "displayName", "description", "roleTemplateId", "members");

    private static final Map<String, List<String>> BY_RESOURCE = Map.of(
            "users", USERS, "groups", GROUPS, "directoryRoles", DIRECTORY_ROLES);

    private SelectDefaults() {
    }

    /** The tenant's own selection for the resource, else the default; unknown resource → IllegalArgumentException. */
    public static List<String> forResource(IdsyncConfig.Tenant tenant, String resource) {
        List<String> configured = tenant.select().get(resource);
        if (configured != null && !configured.isEmpty()) {
            return configured;
        }
        List<String> defaults = BY_RESOURCE.get(resource);
        if (defaults == null) {
            throw new IllegalArgumentException("unknown resource '" + resource + "'; known: " + BY_RESOURCE.keySet());
        }
        return defaults;
    }
}
