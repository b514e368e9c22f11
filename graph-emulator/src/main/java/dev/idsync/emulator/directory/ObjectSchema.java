package dev.idsync.emulator.directory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The properties of one directory type, in a fixed order. Property positions double as bits of a
 * change mask so the change log stores "which properties changed" in one long.
 */
public final class ObjectSchema {

    private final ObjectKind kind;
    private final List<PropertyDef> properties;
    private final Map<String, PropertyDef> byLowerName;
    private final long defaultSelectMask;

    private ObjectSchema(ObjectKind kind, List<PropertyDef> properties, List<String> defaultSelect) {
        if (properties.size() > 63) {
            throw new IllegalArgumentException("change masks hold at most 63 properties");
        }
        this.kind = kind;
        this.properties = List.copyOf(properties);
        Map<String, PropertyDef> index = new LinkedHashMap<>();
        for (PropertyDef p : properties) {
            index.put(p.name().toLowerCase(Locale.ROOT), p);
        }
        this.byLowerName = Collections.unmodifiableMap(index);
        long mask = 0;
        for (String name : defaultSelect) {
            mask |= index.get(name.toLowerCase(Locale.ROOT)).bit();
        }
        this.defaultSelectMask = mask;
    }

    public ObjectKind kind() {
        return kind;
    }

    public List<PropertyDef> properties() {
        return properties;
    }

    public int size() {
        return properties.size();
    }

    /** Graph matches property names case-insensitively in $select and in request bodies. */
    public Optional<PropertyDef> find(String name) {
        return Optional.ofNullable(byLowerName.get(name.toLowerCase(Locale.ROOT)));
    }

    public PropertyDef require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no property " + name + " on " + kind));
    }

    /** The properties a delta query returns when the client sends no $select (Graph's default set). */
    public long defaultSelectMask() {
        return defaultSelectMask;
    }

    public long allMask() {
        return properties.size() == 64 ? -1L : (1L << properties.size()) - 1;
    }

    public static ObjectSchema of(ObjectKind kind) {
        return switch (kind) {
            case USER -> USER_SCHEMA;
            case GROUP -> GROUP_SCHEMA;
            case DIRECTORY_ROLE -> ROLE_SCHEMA;
        };
    }

    private static final class Builder {
        private final List<PropertyDef> defs = new ArrayList<>();

        Builder string(String name, int maxLength) {
            defs.add(new PropertyDef(defs.size(), name, PropertyType.STRING, false, maxLength));
            return this;
        }

        Builder readOnly(String name, PropertyType type) {
            defs.add(new PropertyDef(defs.size(), name, type, true, 0));
            return this;
        }

        Builder of(String name, PropertyType type) {
            defs.add(new PropertyDef(defs.size(), name, type, false, 0));
            return this;
        }

        List<PropertyDef> build() {
            return defs;
        }
    }

    // Property lists follow Graph v1.0's user/group/directoryRole resources (the subset delta supports).
    private static final ObjectSchema USER_SCHEMA = new ObjectSchema(ObjectKind.USER, new Builder()
            .of("accountEnabled", PropertyType.BOOLEAN)
            .of("businessPhones", PropertyType.STRING_COLLECTION)
            .string("city", 128)
            .string("companyName", 64)
            .string("country", 128)
            .readOnly("createdDateTime", PropertyType.DATE_TIME)
            .string("department", 64)
            .string("displayName", 256)
            .string("employeeId", 16)
            .string("employeeType", 64)
            .string("givenName", 64)
            .string("jobTitle", 128)
            .string("mail", 64)
            .string("mailNickname", 64)
            .string("mobilePhone", 64)
            .string("officeLocation", 128)
            .readOnly("onPremisesSyncEnabled", PropertyType.BOOLEAN)
            .string("postalCode", 40)
            .string("preferredLanguage", 16)
            .readOnly("proxyAddresses", PropertyType.STRING_COLLECTION)
            .string("state", 128)
            .string("streetAddress", 1024)
            .string("surname", 64)
            .string("usageLocation", 2)
            .string("userPrincipalName", 113)
            .string("userType", 16)
            .build(),
            List.of("businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
                    "officeLocation", "preferredLanguage", "surname", "userPrincipalName"));

    private static final ObjectSchema GROUP_SCHEMA = new ObjectSchema(ObjectKind.GROUP, new Builder()
            .readOnly("createdDateTime", PropertyType.DATE_TIME)
            .string("description", 1024)
            .string("displayName", 256)
            .of("groupTypes", PropertyType.STRING_COLLECTION)
            .of("isAssignableToRole", PropertyType.BOOLEAN)
            .readOnly("mail", PropertyType.STRING)
            .of("mailEnabled", PropertyType.BOOLEAN)
            .string("mailNickname", 64)
            .readOnly("onPremisesSyncEnabled", PropertyType.BOOLEAN)
            .readOnly("proxyAddresses", PropertyType.STRING_COLLECTION)
            .of("securityEnabled", PropertyType.BOOLEAN)
            .string("visibility", 16)
            .build(),
            List.of("createdDateTime", "description", "displayName", "groupTypes", "mail", "mailEnabled",
                    "mailNickname", "proxyAddresses", "securityEnabled", "visibility"));

    private static final ObjectSchema ROLE_SCHEMA = new ObjectSchema(ObjectKind.DIRECTORY_ROLE, new Builder()
            .string("description", 1024)
            .string("displayName", 256)
            .readOnly("roleTemplateId", PropertyType.STRING)
            .build(),
            List.of("description", "displayName", "roleTemplateId"));
}
