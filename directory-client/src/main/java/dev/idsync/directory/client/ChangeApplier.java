package dev.idsync.directory.client;

import dev.idsync.directory.client.DirectoryTopics.Kind;
import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleMemberRemoved;
import dev.idsync.events.DirectoryRoleRemoved;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupRemoved;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.Membership;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.Removal;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.RoleAssignmentRevoked;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * Turns one record (a key's new last word) into a change of the {@link DirectoryReplica} and then the
 * matching {@link DirectoryListener} callback. Runs on the poll thread only.
 */
final class ChangeApplier {

    private static final System.Logger LOG = System.getLogger(ChangeApplier.class.getName());

    private final DirectoryReplica replica;
    private final DirectoryListener listener;

    ChangeApplier(DirectoryReplica replica, DirectoryListener listener) {
        this.replica = replica;
        this.listener = listener;
    }

    /**
     * Why {@code event} cannot be applied from a topic of that kind, or {@code null} when it can: each topic
     * carries its own event types only (CONTRACT.md), and a type this version does not know is stepped over.
     */
    static String refusal(Kind kind, SyncEvent event) {
        if (event.eventType() == null) {
            return "event type " + event.ceType() + " is unknown to this version of directory-client";
        }
        boolean fits = switch (event) {
            case UserUpserted e -> kind == Kind.USERS;
            case UserRemoved e -> kind == Kind.USERS;
            case GroupUpserted e -> kind == Kind.GROUPS;
            case GroupRemoved e -> kind == Kind.GROUPS;
            case MembershipAdded e -> kind == Kind.MEMBERSHIPS;
            case MembershipRemoved e -> kind == Kind.MEMBERSHIPS;
            case DirectoryRoleUpserted e -> kind == Kind.DIRECTORY_ROLES;
            case DirectoryRoleRemoved e -> kind == Kind.DIRECTORY_ROLES;
            case DirectoryRoleMemberAdded e -> kind == Kind.DIRECTORY_ROLES;
            case DirectoryRoleMemberRemoved e -> kind == Kind.DIRECTORY_ROLES;
            case RoleAssignmentGranted e -> kind == Kind.ROLE_ASSIGNMENTS;
            case RoleAssignmentRevoked e -> kind == Kind.ROLE_ASSIGNMENTS;
            default -> false;
        };
        return fits ? null : "event type " + event.ceType() + " does not belong on the " + kind + " topic";
    }

    /** Applies an event that passed {@link #refusal}; {@code key} is its record key. */
    void apply(String key, SyncEvent event) {
        TenantReplica tenant = replica.write(event.tenantId());
        switch (event) {
            case UserUpserted e -> {
                DirectoryObject user = active(ObjectKind.USER, e, e.data());
                tenant.users.put(user.id(), user);
                notify(() -> listener.userUpserted(user));
            }
            case UserRemoved e -> {
                DirectoryObject user = removed(ObjectKind.USER, e, e.data());
                tenant.users.put(user.id(), user);
                notify(() -> listener.userRemoved(user));
            }
            case GroupUpserted e -> {
                DirectoryObject group = active(ObjectKind.GROUP, e, e.data());
                tenant.groups.put(group.id(), group);
                notify(() -> listener.groupUpserted(group));
            }
            case GroupRemoved e -> {
                DirectoryObject group = removed(ObjectKind.GROUP, e, e.data());
                tenant.groups.put(group.id(), group);
                notify(() -> listener.groupRemoved(group));
            }
            case DirectoryRoleUpserted e -> {
                DirectoryObject role = active(ObjectKind.DIRECTORY_ROLE, e, e.data());
                tenant.directoryRoles.put(role.id(), role);
                notify(() -> listener.directoryRoleUpserted(role));
            }
            case DirectoryRoleRemoved e -> {
                DirectoryObject role = removed(ObjectKind.DIRECTORY_ROLE, e, e.data());
                tenant.directoryRoles.put(role.id(), role);
                notify(() -> listener.directoryRoleRemoved(role));
            }
            case MembershipAdded e -> {
                Member member = member(e, e.data());
                tenant.groupMembers.put(key, member);
                notify(() -> listener.membershipAdded(member));
            }
            case MembershipRemoved e -> {
                Member member = member(e, e.data());
                tenant.groupMembers.remove(key);
                notify(() -> listener.membershipRemoved(member));
            }
            case DirectoryRoleMemberAdded e -> {
                Member member = member(e, e.data());
                tenant.roleMembers.put(key, member);
                notify(() -> listener.directoryRoleMemberAdded(member));
            }
            case DirectoryRoleMemberRemoved e -> {
                Member member = member(e, e.data());
                tenant.roleMembers.remove(key);
                notify(() -> listener.directoryRoleMemberRemoved(member));
            }
            case RoleAssignmentGranted e -> {
                RoleGrant grant = RoleGrant.of(e.tenantId(), e.userId(), e.data());
                tenant.grants.put(key, grant);
                notify(() -> listener.roleGranted(grant));
            }
            case RoleAssignmentRevoked e -> {
                RoleGrant grant = RoleGrant.of(e.tenantId(), e.userId(), e.data());
                tenant.grants.remove(key);
                notify(() -> listener.roleRevoked(grant));
            }
            default -> throw new IllegalArgumentException("not a directory event: " + event.ceType());
        }
    }

    /** A tombstone on {@code topic} (of that kind): the key is gone, whatever it was. */
    void delete(String topic, Kind kind, String tenantId, String key) {
        TenantReplica tenant = replica.existing(tenantId);
        if (tenant != null) {
            String objectId = key.substring(tenantId.length() + 1);
            switch (kind) {
                case USERS -> tenant.users.remove(objectId);
                case GROUPS -> tenant.groups.remove(objectId);
                case MEMBERSHIPS -> tenant.groupMembers.remove(key);
                // The roles topic holds both roles (<tenant>:<role>) and their members (<tenant>:<role>:<member>).
                case DIRECTORY_ROLES -> {
                    if (tenant.roleMembers.remove(key) == null) {
                        tenant.directoryRoles.remove(objectId);
                    }
                }
                case ROLE_ASSIGNMENTS -> tenant.grants.remove(key);
            }
        }
        notify(() -> listener.keyDeleted(topic, key));
    }

    private static DirectoryObject active(ObjectKind kind, SyncEvent e, Map<String, Object> attributes) {
        return new DirectoryObject(e.tenantId(), e.objectId(), kind, attributes, null, e.observedAt(), e.epoch(), e.runId());
    }

    private static DirectoryObject removed(ObjectKind kind, SyncEvent e, Removal removal) {
        return new DirectoryObject(e.tenantId(), e.objectId(), kind, Map.of(), removal, e.observedAt(), e.epoch(), e.runId());
    }

    private static Member member(SyncEvent e, Membership data) {
        return new Member(e.tenantId(), e.objectId(), data.memberId(), data.memberType());
    }

    /** Runs a callback; a subscriber's exception is logged, never allowed to stop the client. */
    void notify(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a DirectoryListener callback failed; the client carries on", e);
        }
    }
}
