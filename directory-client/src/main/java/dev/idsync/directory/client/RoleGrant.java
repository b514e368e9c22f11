package dev.idsync.directory.client;

import dev.idsync.events.AssignmentSource;
import dev.idsync.events.RoleAssignment;
import java.util.Objects;

/**
 * An application role a user holds (from {@code idsync.app.role-assignments.v2}).
 *
 * @param groupId     the mapped Entra group the role comes from; {@code null} for default and manual roles
 * @param accessLevel {@code read} or {@code edit} where the role mapping sets one, else {@code null}
 */
public record RoleGrant(String tenantId, String userId, String role, AssignmentSource source, String groupId,
        String accessLevel) {

    public RoleGrant {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(source, "source");
    }

    static RoleGrant of(String tenantId, String userId, RoleAssignment assignment) {
        return new RoleGrant(tenantId, userId, assignment.role(), assignment.source(), assignment.groupId(),
                assignment.accessLevel());
    }
}
