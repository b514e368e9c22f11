package dev.idsync.directory.client;

import dev.idsync.events.AssignmentSource;
import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleMemberRemoved;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupRemoved;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.Removal;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.RoleAssignment;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.RoleAssignmentRevoked;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Directory events of one fresh tenant as delta-processor publishes them, each observed a second after the last. */
final class TenantEvents {

    private static final String RUN = "run-1";
    private static final long EPOCH = 1;

    final String tenant = "t-" + UUID.randomUUID();
    private Instant clock = Instant.parse("2026-12-01T10:00:00Z");

    private Instant next() {
        clock = clock.plusSeconds(1);
        return clock;
    }

    UserUpserted user(String id, Map<String, Object> attributes) {
        return new UserUpserted(tenant, id, RUN, EPOCH, next(), attributes);
    }

    UserRemoved userRemoved(String id, RemovalReason reason, String decidedBy) {
        return new UserRemoved(tenant, id, RUN, EPOCH, next(), new Removal(reason, decidedBy));
    }

    GroupUpserted group(String id, String displayName) {
        return new GroupUpserted(tenant, id, RUN, EPOCH, next(), Map.of("displayName", displayName));
    }

    GroupRemoved groupRemoved(String id, RemovalReason reason) {
        return GroupRemoved.of(tenant, id, RUN, EPOCH, next(), reason);
    }

    MembershipAdded member(String groupId, String memberId) {
        return MembershipAdded.of(tenant, groupId, RUN, EPOCH, next(), memberId, MemberType.USER);
    }

    MembershipRemoved memberRemoved(String groupId, String memberId) {
        return MembershipRemoved.of(tenant, groupId, RUN, EPOCH, next(), memberId, MemberType.USER);
    }

    DirectoryRoleUpserted directoryRole(String id, String displayName) {
        return new DirectoryRoleUpserted(tenant, id, RUN, EPOCH, next(), Map.of("displayName", displayName));
    }

    DirectoryRoleMemberAdded roleMember(String roleId, String memberId) {
        return DirectoryRoleMemberAdded.of(tenant, roleId, RUN, EPOCH, next(), memberId, MemberType.USER);
    }

    DirectoryRoleMemberRemoved roleMemberRemoved(String roleId, String memberId) {
        return DirectoryRoleMemberRemoved.of(tenant, roleId, RUN, EPOCH, next(), memberId, MemberType.USER);
    }

    RoleAssignmentGranted granted(String userId, String role, AssignmentSource source, String groupId) {
        return new RoleAssignmentGranted(tenant, userId, null, EPOCH, next(), new RoleAssignment(role, source, groupId, null));
    }

    RoleAssignmentRevoked revoked(String userId, String role, AssignmentSource source, String groupId) {
        return new RoleAssignmentRevoked(tenant, userId, null, EPOCH, next(), new RoleAssignment(role, source, groupId, null));
    }

    /** The record key of an object of this tenant, as on the public topics. */
    String key(String objectId) {
        return tenant + ":" + objectId;
    }
}
