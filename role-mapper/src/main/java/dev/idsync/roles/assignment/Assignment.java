package dev.idsync.roles.assignment;

import java.util.List;

/**
 * One stored assignment of a role to a user: a row of {@code roles.role_assignments}.
 *
 * @param source      {@code federated} or {@code manual}
 * @param groupId     the group a federated assignment comes from; {@code ""} for the default role and manual ones
 * @param accessLevel {@code read}, {@code edit} or null
 * @param path        why a federated group assignment holds: group ids from {@code groupId} down to the group the
 *                    user is a direct member of (one element for a direct member); null without a group
 */
public record Assignment(String role, String source, String groupId, String accessLevel, List<String> path) {

    public static final String FEDERATED = "federated";
    public static final String MANUAL = "manual";
    public static final String NO_GROUP = "";

    public Assignment {
        path = path == null || path.isEmpty() ? null : List.copyOf(path);
    }

    public Assignment(String role, String source, String groupId, String accessLevel) {
        this(role, source, groupId, accessLevel, null);
    }

    /** Identity of the row (its primary key within the user): access level and path are attributes. */
    public String slot() {
        return role + "\u0000" + source + "\u0000" + groupId;
    }

    /** Same row, same access level: only the why differs (a regrant, no revocation). */
    public boolean onlyPathDiffers(Assignment other) {
        return other != null && slot().equals(other.slot()) && java.util.Objects.equals(accessLevel, other.accessLevel)
                && !java.util.Objects.equals(path, other.path);
    }
}
