package dev.idsync.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A member joined a group. {@code objectId} is the group, {@code data} the member.
 * Type {@link EventType#MEMBERSHIP_ADDED} on {@link Topics#MEMBERSHIPS}.
 */
public record MembershipAdded(String tenantId, String objectId, String runId, long epoch, Instant observedAt,
        Membership data) implements SyncEvent {

    public MembershipAdded {
        Checks.envelope(tenantId, objectId, epoch, observedAt);
        Objects.requireNonNull(data, "data");
    }

    /** Shorthand: {@code groupId} becomes the {@code objectId} (and so the key). */
    public static MembershipAdded of(String tenantId, String groupId, String runId, long epoch, Instant observedAt,
            String memberId, MemberType memberType) {
        return new MembershipAdded(tenantId, groupId, runId, epoch, observedAt, new Membership(memberId, memberType));
    }

    /** The group the membership belongs to: the same as {@link #objectId()}. */
    public String groupId() {
        return objectId;
    }
}
