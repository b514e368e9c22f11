package dev.idsync.processor.rules;

import dev.idsync.config.IdsyncConfig;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One tenant's processing rules from {@code idsync.yaml} (reference 001): scoping filters, field
 * mapping (Graph attribute → local attribute) and org-unit mapping by {@code companyName}, and the
 * accidental-delete threshold. A tenant that is not configured gets the defaults: everything in scope,
 * Graph names, no org units, 500 objects / 10 %.
 */
public record TenantRules(boolean accountEnabledOnly, Set<String> excludedDomains, Set<String> excludedUsers,
        Map<String, String> fieldMapping, Map<String, String> orgUnits, DeleteThreshold deleteThreshold) {

    /** The local attribute the org unit is written to. */
    public static final String ORG_UNIT = "orgUnit";

    public record DeleteThreshold(boolean enabled, int count, int percent) {

        public static final DeleteThreshold DEFAULT = new DeleteThreshold(true, 500, 10);

        /** Whether {@code deletions} out of {@code liveObjects} exceed either limit. */
        public boolean exceededBy(long deletions, long liveObjects) {
            if (!enabled || deletions == 0) {
                return false;
            }
            return deletions > count || deletions * 100 > (long) percent * Math.max(liveObjects, deletions);
        }
    }

    public static final TenantRules DEFAULT = new TenantRules(false, Set.of(), Set.of(), Map.of(), Map.of(),
            DeleteThreshold.DEFAULT);

    static TenantRules of(IdsyncConfig.Tenant tenant) {
        IdsyncConfig.Filters filters = tenant.filters();
        IdsyncConfig.DeleteThreshold threshold = tenant.deleteThreshold();
        return new TenantRules(filters.accountEnabledOnly(),
                lower(filters.excludedDomains().orElse(Set.of())),
                lower(filters.excludedUsers().orElse(Set.of())),
                Map.copyOf(tenant.fieldMapping()), Map.copyOf(tenant.orgUnits()),
                new DeleteThreshold(threshold.enabled(), threshold.count(), threshold.percent()));
    }

    private static Set<String> lower(Set<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether any scoping filter is set (if not, users need no look at their stored attributes). */
    public boolean hasFilters() {
        return accountEnabledOnly || !excludedDomains.isEmpty() || !excludedUsers.isEmpty();
    }

    /** The local name of a Graph attribute. */
    public String localName(String graphName) {
        return fieldMapping.getOrDefault(graphName, graphName);
    }

    /**
     * A user's attribute by its Graph name, from attributes that may hold it under its Graph name (a new
     * event) or its local name (the stored row).
     */
    Object value(Map<String, Object> attributes, String graphName) {
        if (attributes.containsKey(graphName)) {
            return attributes.get(graphName);
        }
        return attributes.get(localName(graphName));
    }

    /**
     * Whether a user is in scope. {@code attributes} is everything known of it (stored merged with the
     * new event), since a delta carries only changed attributes. An attribute that was never selected
     * does not exclude anyone: the filter can only judge what it sees.
     */
    public boolean inScope(String objectId, Map<String, Object> attributes) {
        if (accountEnabledOnly && Boolean.FALSE.equals(asBoolean(value(attributes, "accountEnabled")))) {
            return false;
        }
        String upn = lowerText(value(attributes, "userPrincipalName"));
        String mail = lowerText(value(attributes, "mail"));
        if (excludedUsers.contains(objectId.toLowerCase(Locale.ROOT))
                || (upn != null && excludedUsers.contains(upn)) || (mail != null && excludedUsers.contains(mail))) {
            return false;
        }
        return !(excludedDomains.contains(domain(upn)) || excludedDomains.contains(domain(mail)));
    }

    /**
     * Renames Graph attributes to their local names and derives the org unit from {@code companyName}
     * when the event carries it (a delta without {@code companyName} leaves the stored org unit alone).
     */
    public Map<String, Object> toLocal(Map<String, Object> graphAttributes) {
        Map<String, Object> local = new java.util.LinkedHashMap<>();
        graphAttributes.forEach((name, value) -> local.put(localName(name), value));
        if (graphAttributes.containsKey("companyName")) {
            Object company = graphAttributes.get("companyName");
            local.put(ORG_UNIT, company == null ? null : orgUnits.get(company.toString()));
        }
        return local;
    }

    private static Boolean asBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        return value == null ? null : Boolean.valueOf(value.toString());
    }

    private static String lowerText(Object value) {
        return value == null ? null : value.toString().toLowerCase(Locale.ROOT);
    }

    private static String domain(String address) {
        if (address == null) {
            return "";
        }
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }
}
