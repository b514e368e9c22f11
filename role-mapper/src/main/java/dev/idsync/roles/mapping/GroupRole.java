package dev.idsync.roles.mapping;

/** An explicit mapping: members of a group (by object id) get {@code role} with access level {@code access}. */
public record GroupRole(String role, String access) {
}
