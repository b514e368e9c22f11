package dev.idsync.roles.assignment;

/**
 * One stored assignment of a role to a user: a row of {@code roles.role_assignments}.
 *
 * @param source      {@code federated} or {@code manual}
 * @param groupId     the group a federated assignment comes from; {@code ""} for the default role and manual ones
 * @param accessLevel {@code read}, {@code edit} or null
 */
public record Assignment(String role, String source, String groupId, String accessLevel) {

    public static final String FEDERATED = "federated";
    public static final String MANUAL = "manual";
    public static final String NO_GROUP = "";

    /** Identity of the row (its primary key within the user): access level is an attribute. */
    public String slot() {
        return role + "\u0000" + source + "\u0000" + groupId;
    }
}
