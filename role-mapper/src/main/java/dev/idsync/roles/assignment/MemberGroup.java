package dev.idsync.roles.assignment;

/** A group a user is a member of, with its display name when role-mapper has seen the group. */
public record MemberGroup(String groupId, String displayName) {
}
