package dev.idsync.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * The {@code data} of a role-assignment event; the user is the event's {@code objectId}.
 *
 * @param role        the application role
 * @param source      whether a mapped group or an administrator granted it
 * @param groupId     nullable: the Entra group the assignment comes from (federated assignments)
 * @param accessLevel nullable: {@value #READ} or {@value #EDIT} where the role mapping sets one
 * @param path        nullable (optional since role-mapper's nested groups, same v1): why a federated grant holds,
 *                    the group ids from the mapped group ({@code groupId}) down to the group the user is a direct
 *                    member of; one element for a direct member
 * @param actor       nullable (optional, same v1): the administrator whose API request made the change (a mapping
 *                    edit or a manual assignment); absent for changes a sync run or a login made
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoleAssignment(String role, AssignmentSource source, String groupId, String accessLevel,
        java.util.List<String> path, String actor) {

    public static final String READ = "read";
    public static final String EDIT = "edit";

    public RoleAssignment {
        Checks.notBlank(role, "role");
        Objects.requireNonNull(source, "source");
        path = path == null || path.isEmpty() ? null : java.util.List.copyOf(path);
    }

    /** Without a path (manual and default assignments, revocations). */
    public RoleAssignment(String role, AssignmentSource source, String groupId, String accessLevel) {
        this(role, source, groupId, accessLevel, null, null);
    }
}
