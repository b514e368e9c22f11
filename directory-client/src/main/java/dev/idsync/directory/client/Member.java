package dev.idsync.directory.client;

import dev.idsync.events.MemberType;
import java.util.Objects;

/**
 * A present membership: {@code memberId} is a member of the group (or, in
 * {@link DirectoryReplica#directoryRoleMembers}, the directory role) {@code containerId}.
 */
public record Member(String tenantId, String containerId, String memberId, MemberType memberType) {

    public Member {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(memberType, "memberType");
    }
}
