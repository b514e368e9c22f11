package dev.idsync.processor.store;

import dev.idsync.events.MemberType;
import java.util.List;
import java.util.Set;

/** The kinds of directory object the store holds; the db value is Graph's type name. */
public enum ObjectKind {
    USER("user", "users"),
    GROUP("group", "groups"),
    DIRECTORY_ROLE("directoryRole", "directoryRoles"),
    SERVICE_PRINCIPAL("servicePrincipal", null),
    DEVICE("device", null),
    ORG_CONTACT("orgContact", null);

    private final String dbValue;
    private final String resource;

    ObjectKind(String dbValue, String resource) {
        this.dbValue = dbValue;
        this.resource = resource;
    }

    public String dbValue() {
        return dbValue;
    }

    /** The member type of this kind in a membership event. */
    MemberType memberType() {
        return switch (this) {
            case USER -> MemberType.USER;
            case GROUP -> MemberType.GROUP;
            case SERVICE_PRINCIPAL -> MemberType.SERVICE_PRINCIPAL;
            case DEVICE -> MemberType.DEVICE;
            case ORG_CONTACT -> MemberType.ORG_CONTACT;
            case DIRECTORY_ROLE -> throw new IllegalArgumentException("a directory role is never a member");
        };
    }

    /** The kind of a db value ({@code kind}, {@code member_type}, {@code container_kind} columns). */
    static ObjectKind ofDbValue(String dbValue) {
        for (ObjectKind kind : values()) {
            if (kind.dbValue.equals(dbValue)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("not an object kind: " + dbValue);
    }

    static ObjectKind of(MemberType type) {
        return switch (type) {
            case USER -> USER;
            case GROUP -> GROUP;
            case SERVICE_PRINCIPAL -> SERVICE_PRINCIPAL;
            case DEVICE -> DEVICE;
            case ORG_CONTACT -> ORG_CONTACT;
        };
    }

    /** The kinds a sync run's {@code resources} cover; all synced kinds when the run names none. */
    static List<String> dbValuesOfResources(Set<String> resources) {
        return java.util.Arrays.stream(values())
                .filter(k -> k.resource != null && (resources.isEmpty() || resources.contains(k.resource)))
                .map(ObjectKind::dbValue)
                .toList();
    }
}
