package dev.idsync.roles.directory;

import java.time.Instant;

/** One membership observation: a member joined ({@code added}) or left a group at {@code observedAt}. */
public record MembershipChange(String tenantId, String groupId, String memberId, String memberType, boolean added,
        Instant observedAt) {

    public static final String USER = "user";
    public static final String GROUP = "group";
}
