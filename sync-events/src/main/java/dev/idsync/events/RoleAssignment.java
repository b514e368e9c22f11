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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoleAssignment(String role, AssignmentSource source, String groupId, String accessLevel) {

    public static final String READ = "read";
    public static final String EDIT = "edit";

    public RoleAssignment {
        Checks.notBlank(role, "role");
        Objects.requireNonNull(source, "source");
    }
}
