package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A member was removed from a directory role. {@code objectId} is the role, {@code data} the member.
 * Type {@link EventType#DIRECTORY_ROLE_MEMBER_REMOVED} on {@link Topics#DIRECTORY_ROLES}.
 */
public record DirectoryRoleMemberRemoved(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        Membership data) implements SyncEvent {

    public DirectoryRoleMemberRemoved {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }

    /** Shorthand: {@code roleId} becomes the {@code objectId} (and so the key). */
    public static DirectoryRoleMemberRemoved of(String tenantId, String roleId, String runId, long epoch, Instant observedAt,
            String memberId, MemberType memberType) {
        return new DirectoryRoleMemberRemoved(tenantId, roleId, runId, epoch, observedAt, new Membership(memberId, memberType));
    }

    /** The directory role the membership belongs to: the same as {@link #objectId()}. */
    public String roleId() {
        return objectId;
    }
}
