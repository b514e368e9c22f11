package dev.idsync.emulator.graph;

import dev.idsync.emulator.directory.ObjectKind;
import dev.idsync.emulator.directory.ObjectSchema;
import dev.idsync.emulator.directory.PropertyDef;
import dev.idsync.emulator.directory.PropertyValues;
import dev.idsync.emulator.directory.Tenant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks a user PATCH body the way Graph does before anything is written, with Graph's messages. */
final class UserPatchValidator {

    private static final Pattern USAGE_LOCATION = Pattern.compile("[A-Z]{2}");
    /** Properties Graph refuses to clear. */
    private static final java.util.Set<String> REQUIRED = java.util.Set.of(
            "displayname", "userprincipalname", "mailnickname", "accountenabled");

    private UserPatchValidator() {
    }

    /** @return the changes keyed by canonical property name */
    static Map<String, Object> validate(Tenant tenant, Map<String, Object> body) {
        ObjectSchema schema = ObjectSchema.of(ObjectKind.USER);
        Map<String, Object> changes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : body.entrySet()) {
            String name = entry.getKey();
            if (name.startsWith("@odata.")) {
                continue;
            }
            if (name.equalsIgnoreCase("id")) {
                throw GraphError.badRequest("Property 'id' is read-only and cannot be set.");
            }
            PropertyDef def = schema.find(name).orElseThrow(() -> GraphError.badRequest(
                    "Property '" + name + "' does not exist as a declared property or extension property."));
            if (def.readOnly()) {
                throw GraphError.badRequest("Property '" + def.name() + "' is read-only and cannot be set.");
            }
            Object value;
            try {
                value = PropertyValues.coerce(def, entry.getValue());
            } catch (IllegalArgumentException e) {
                throw invalid(def);
            }
            if (value == null && REQUIRED.contains(def.name().toLowerCase(Locale.ROOT))) {
                throw invalid(def);
            }
            if (value instanceof String s) {
                if (def.maxLength() > 0 && s.length() > def.maxLength()) {
                    throw invalid(def);
                }
                if (REQUIRED.contains(def.name().toLowerCase(Locale.ROOT)) && s.isBlank()) {
                    throw invalid(def);
                }
                if (def.name().equals("usageLocation") && !USAGE_LOCATION.matcher(s).matches()) {
                    throw invalid(def);
                }
                if (def.name().equals("userPrincipalName")) {
                    checkUpnDomain(tenant, s);
                }
            }
            changes.put(def.name(), value);
        }
        return changes;
    }

    private static void checkUpnDomain(Tenant tenant, String upn) {
        int at = upn.lastIndexOf('@');
        String domain = at < 0 ? "" : upn.substring(at + 1).toLowerCase(Locale.ROOT);
        boolean verified = tenant.domains().stream().anyMatch(d -> d.equalsIgnoreCase(domain));
        if (at <= 0 || !verified) {
            throw GraphError.badRequest("The domain portion of the userPrincipalName property is invalid. "
                    + "You must use one of the verified domain names in your organization.");
        }
    }

    private static GraphError invalid(PropertyDef def) {
        return GraphError.badRequest(
                "Invalid value specified for property '" + def.name() + "' of resource 'User'.");
    }
}
