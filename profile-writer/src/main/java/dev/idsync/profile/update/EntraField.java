package dev.idsync.profile.update;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Entra (Graph) user properties profile-writer may change: seed 000's synced field list, with Graph's
 * type and maximum length for each, so a bad value is refused before Entra is asked. {@code mail} and the
 * UPN are deliberately absent: they are identities, not profile data.
 *
 * @param clearable whether null (clear) is allowed; Graph refuses to clear displayName and accountEnabled
 */
public record EntraField(String name, Kind kind, int maxLength, boolean clearable) {

    public enum Kind { TEXT, PHONE, PHONE_LIST, COUNTRY, USAGE_LOCATION, LANGUAGE, BOOLEAN }

    public static final Map<String, EntraField> ALL;

    static {
        Map<String, EntraField> all = new LinkedHashMap<>();
        for (EntraField f : List.of(
                new EntraField("displayName", Kind.TEXT, 256, false),
                new EntraField("givenName", Kind.TEXT, 64, true),
                new EntraField("surname", Kind.TEXT, 64, true),
                new EntraField("jobTitle", Kind.TEXT, 128, true),
                new EntraField("department", Kind.TEXT, 64, true),
                new EntraField("companyName", Kind.TEXT, 64, true),
                new EntraField("officeLocation", Kind.TEXT, 128, true),
                new EntraField("employeeId", Kind.TEXT, 16, true),
                new EntraField("mobilePhone", Kind.PHONE, 64, true),
                // Graph accepts at most one business phone on a user.
                new EntraField("businessPhones", Kind.PHONE_LIST, 64, true),
                new EntraField("streetAddress", Kind.TEXT, 1024, true),
                new EntraField("city", Kind.TEXT, 128, true),
                new EntraField("state", Kind.TEXT, 128, true),
                new EntraField("postalCode", Kind.TEXT, 40, true),
                new EntraField("country", Kind.COUNTRY, 128, true),
                new EntraField("usageLocation", Kind.USAGE_LOCATION, 2, true),
                new EntraField("preferredLanguage", Kind.LANGUAGE, 16, true),
                new EntraField("accountEnabled", Kind.BOOLEAN, 0, false))) {
            all.put(f.name(), f);
        }
        ALL = Map.copyOf(all);
    }

    /** Every editable property, in a stable order (for reads and ETags). */
    public static final List<String> NAMES = List.of("displayName", "givenName", "surname", "jobTitle", "department",
            "companyName", "officeLocation", "employeeId", "mobilePhone", "businessPhones", "streetAddress", "city",
            "state", "postalCode", "country", "usageLocation", "preferredLanguage", "accountEnabled");
}
