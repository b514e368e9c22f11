package dev.idsync.graph.delta;

/** The directory collections idsync tracks with delta queries. */
public enum DeltaResource {
    USERS("users"),
    GROUPS("groups"),
    DIRECTORY_ROLES("directoryRoles");

    private final String segment;

    DeltaResource(String segment) {
        this.segment = segment;
    }

    public String segment() {
        return segment;
    }
}
