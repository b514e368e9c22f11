package dev.idsync.emulator.authority;

import java.util.Set;

/**
 * Which Graph application permissions (app roles in the token's {@code roles} claim) allow which calls,
 * following the least-privileged/higher-privileged tables of the Graph v1.0 reference.
 */
public final class GraphPermissions {

    private GraphPermissions() {
    }

    public static final Set<String> READ_USERS = Set.of(
            "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All");
    public static final Set<String> READ_GROUPS = Set.of(
            "Group.Read.All", "GroupMember.Read.All", "Group.ReadWrite.All", "Directory.Read.All",
            "Directory.ReadWrite.All");
    public static final Set<String> READ_ROLES = Set.of(
            "RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory", "Directory.Read.All",
            "Directory.ReadWrite.All");
    public static final Set<String> WRITE_USERS = Set.of("User.ReadWrite.All", "Directory.ReadWrite.All");
}
