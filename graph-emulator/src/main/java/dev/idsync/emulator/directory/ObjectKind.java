package dev.idsync.emulator.directory;

/** The directory object types the emulator tracks, with the names Graph uses for them on the wire. */
public enum ObjectKind {
    USER("#microsoft.graph.user", "users", "User"),
    GROUP("#microsoft.graph.group", "groups", "Group"),
    DIRECTORY_ROLE("#microsoft.graph.directoryRole", "directoryRoles", "DirectoryRole");

    private final String odataType;
    private final String entitySet;
    private final String resourceName;

    ObjectKind(String odataType, String entitySet, String resourceName) {
        this.odataType = odataType;
        this.entitySet = entitySet;
        this.resourceName = resourceName;
    }

    public String odataType() {
        return odataType;
    }

    /** The collection segment in URLs and in {@code @odata.context}, e.g. {@code users}. */
    public String entitySet() {
        return entitySet;
    }

    /** The type name Graph uses in validation messages ("... of resource 'User'"). */
    public String resourceName() {
        return resourceName;
    }

    public String typeName() {
        return odataType.substring("#microsoft.graph.".length());
    }

    public boolean hasMembers() {
        return this != USER;
    }
}
