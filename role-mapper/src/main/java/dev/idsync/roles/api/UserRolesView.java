package dev.idsync.roles.api;

import java.util.List;

/** A user's effective roles with their sources; {@code userState}: active, disabled, removed or unknown. */
public record UserRolesView(String tenantId, String userId, String userState, List<RoleView> roles) {
}
