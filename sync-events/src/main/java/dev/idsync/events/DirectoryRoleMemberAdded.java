package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A member was added to a directory role. {@code objectId} is the role, {@code data} the member.
 * Type {@link EventType#DIRECTORY_ROLE_MEMBER_ADDED} on {@link Topics#DIRECTORY_ROLES}.
 */
public record DirectoryRoleMemberAdded(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        Membership data) implements SyncEvent {

    public DirectoryRoleMemberAdded {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }

    /** Shorthand: {@code roleId} becomes the {@code objectId} (and so the key). */
    public static DirectoryRoleMemberAdded of(String tenantId, String roleId, String runId, long epoch, Instant observedAt,
            String memberId, MemberType memberType) {
        return new DirectoryRoleMemberAdded(tenantId, roleId, runId, epoch, observedAt, new Membership(memberId, memberType));
    }

    /** The directory role the membership belongs to: the same as {@link #objectId()}. */
    public String roleId() {
        return objectId;
    }
}
