package dev.idsync.roles.assignment;

import java.util.List;

/**
 * A group a user is a member of, with its display name when role-mapper has seen the group, and the path
 * that makes the user a member: group ids from this group down to the user's direct group (just this group
 * for a direct membership).
 */
public record MemberGroup(String groupId, String displayName, List<String> path) {

    /** A directory role the user is a member of: its object id, template id and display name. */
    public record DirectoryRole(String roleId, String templateId, String displayName) {
    }

    public MemberGroup(String groupId, String displayName) {
        this(groupId, displayName, List.of(groupId));
    }
}
