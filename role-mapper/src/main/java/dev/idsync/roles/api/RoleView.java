package dev.idsync.roles.api;

import java.util.List;

/** An effective role; {@code active} is false for a manual role of a user who is disabled or removed. */
public record RoleView(String role, boolean active, List<AssignmentView> assignments) {
}
